"use server";

import { getTimeZone } from "next-intl/server";
import { instantOfLocalDateTime } from "@/lib/billing/calendar";
import { type ActionResult, staffAction } from "@/lib/console/action";
import { cancelSubscription } from "@/lib/services/cancel-subscription";
import { changePlan, previewPlanChange } from "@/lib/services/change-plan";
import { chargeAdditional } from "@/lib/services/charge-additional";
import { invalid, ServiceError } from "@/lib/services/errors";
import { pauseSubscription } from "@/lib/services/pause-subscription";
import { recordUsage } from "@/lib/services/record-usage";
import { refundInvoice } from "@/lib/services/refund-invoice";
import { resumeSubscription } from "@/lib/services/resume-subscription";
import { retryPayment } from "@/lib/services/retry-payment";

/*
 * The contract detail page's server actions: each is a public POST endpoint, so each goes through staffAction (the
 * session's staff member, their role checked by the service) and calls one service verb with the service's own input
 * rules. Times typed in the dialogs are wall-clock times of the merchant's zone.
 */

/** The page to render again; a forged input without an id revalidates nothing (the service refuses it anyway). */
const detailPath = (input: unknown): string[] => {
  const id = (input as { subscriptionId?: unknown } | null)?.subscriptionId;
  return typeof id === "string" ? [`/console/subscriptions/${id}`] : [];
};

/** A charge the card declined is an answer to show, not a failed action: the failed attempt is on the page now. */
export type ChargeOutcome = { paid: true } | { paid: false; declineCode: string | null };

async function charged(run: () => Promise<unknown>): Promise<ChargeOutcome> {
  try {
    await run();
    return { paid: true };
  } catch (error) {
    if (error instanceof ServiceError && error.code === "payment_declined") return { paid: false, declineCode: error.details.declineCode ?? null };
    throw error;
  }
}

/** A datetime-local value in the merchant's zone; empty is "not given". */
async function localInstant(value: unknown, field: string): Promise<Date | null> {
  if (value === null || value === undefined || value === "") return null;
  const at = typeof value === "string" ? instantOfLocalDateTime(value, await getTimeZone()) : null;
  if (!at) throw invalid(`${field} must be a date and time`, field);
  return at;
}

export async function cancelContract(input: { subscriptionId: string; atPeriodEnd: boolean; reason: string }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await cancelSubscription(ctx, { subscriptionId: input.subscriptionId, atPeriodEnd: input.atPeriodEnd, reason: input.reason || null });
      return null;
    },
    { revalidate: detailPath(input) },
  );
}

export async function resumeContract(input: { subscriptionId: string }): Promise<ActionResult<ChargeOutcome>> {
  return staffAction((ctx) => charged(() => resumeSubscription(ctx, { subscriptionId: input.subscriptionId })), { revalidate: detailPath(input) });
}

export async function pauseContract(input: { subscriptionId: string; resumeAt: string }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await pauseSubscription(ctx, { subscriptionId: input.subscriptionId, resumeAt: await localInstant(input.resumeAt, "resumeAt") });
      return null;
    },
    { revalidate: detailPath(input) },
  );
}

export type RetryOutcome = ChargeOutcome | { scheduledAt: string };

/** Retry now (`at` empty) or at a time of the merchant's zone. */
export async function retryContractPayment(input: { subscriptionId: string; at: string }): Promise<ActionResult<RetryOutcome>> {
  return staffAction(
    async (ctx): Promise<RetryOutcome> => {
      const at = await localInstant(input.at, "at");
      if (at) {
        await retryPayment(ctx, { subscriptionId: input.subscriptionId, at });
        return { scheduledAt: at.toISOString() };
      }
      return charged(() => retryPayment(ctx, { subscriptionId: input.subscriptionId }));
    },
    { revalidate: detailPath(input) },
  );
}

export async function chargeContract(input: {
  subscriptionId: string;
  amount: number;
  description: string;
  extendPaidThrough: boolean;
  sendMail: boolean;
  /** One per opened dialog: a double submit charges once. */
  requestKey: string;
}): Promise<ActionResult<ChargeOutcome>> {
  return staffAction(
    (ctx) =>
      charged(() =>
        chargeAdditional(ctx, {
          subscriptionId: input.subscriptionId,
          amount: input.amount,
          description: input.description || null,
          extendPaidThrough: input.extendPaidThrough,
          sendMail: input.sendMail,
          requestKey: input.requestKey,
        }),
      ),
    { revalidate: detailPath(input) },
  );
}

export async function recordContractUsage(input: { subscriptionId: string; metric: string; quantity: number; idempotencyKey: string }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await recordUsage(ctx, { subscriptionId: input.subscriptionId, metric: input.metric, quantity: input.quantity, idempotencyKey: input.idempotencyKey });
      return null;
    },
    { revalidate: detailPath(input) },
  );
}

type PlanChangeRequest = { subscriptionId: string; planId: string; when: "now" | "period_end"; proration: "daily" | "none" };

/** What a plan change would charge now and at the next renewal, with nothing written; times as ISO strings. */
export type PlanChangePreviewView = {
  invoice: { total: number; tax: number; currency: string; creditCarried: number; lines: { kind: string; description: string; amount: number }[] } | null;
  nextRenewal: { at: string; total: number; currency: string } | null;
};

export async function previewContractPlanChange(input: PlanChangeRequest): Promise<ActionResult<PlanChangePreviewView>> {
  return staffAction(async (ctx) => {
    const preview = await previewPlanChange(ctx, input);
    return {
      invoice: preview.invoice
        ? {
            total: preview.invoice.total,
            tax: preview.invoice.tax,
            currency: preview.invoice.currency,
            creditCarried: preview.invoice.creditCarried,
            lines: preview.invoice.lines.map((l) => ({ kind: l.kind, description: l.description, amount: l.amount })),
          }
        : null,
      nextRenewal: preview.nextRenewal ? { at: preview.nextRenewal.at.toISOString(), total: preview.nextRenewal.total, currency: preview.nextRenewal.currency } : null,
    };
  });
}

export async function changeContractPlan(input: PlanChangeRequest): Promise<ActionResult<ChargeOutcome>> {
  return staffAction((ctx) => charged(() => changePlan(ctx, input)), { revalidate: detailPath(input) });
}

export async function refundContractInvoice(input: { subscriptionId: string; invoiceId: string; amount: number; reason: string; requestKey: string }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await refundInvoice(ctx, { invoiceId: input.invoiceId, amount: input.amount, reason: input.reason || null, requestKey: input.requestKey });
      return null;
    },
    { revalidate: detailPath(input) },
  );
}
