import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { invoices, subscriptions } from "@/db/schema";
import { localDateOf, startOfLocalDay, weekdayOf } from "@/lib/billing/calendar";
import { firstPaidPeriod } from "@/lib/billing/first-period";
import { firstInvoiceLines } from "@/lib/billing/invoice";
import { isWeekInterval } from "@/lib/billing/plan";
import { actionKeys } from "@/lib/billing/scheduled-action";
import { nextStatus } from "@/lib/billing/subscription-state";
import { trialReminderDate } from "@/lib/billing/trial";
import { queueContractMail } from "@/lib/mail/contract-mail";
import { recordAudit } from "./audit";
import { chargeNow } from "./charge-now";
import { lockContract } from "./contract";
import type { ServiceContext } from "./context";
import { conflict, parseInput, ServiceError } from "./errors";
import { issueInvoice } from "./invoicing";
import { openAttempt, type PreparedCharge } from "./payment-attempts";
import { scheduleRenewal } from "./payment-outcome";
import { loadSubscription } from "./read-subscription";
import { cancelPendingActions, scheduleActions } from "./scheduling";

export const resumeSubscriptionInput = z.object({ subscriptionId: z.string().min(1) });

/**
 * One button brings a contract back: a pending end-of-period cancellation is withdrawn, and a canceled or
 * withdrawn contract starts a new first period today, charged by the plan's rule (no new trial, and the
 * joining fee only if it was never paid). A declined charge changes nothing and is reported.
 */
export async function resumeSubscription(ctx: ServiceContext, input: z.input<typeof resumeSubscriptionInput>) {
  const data = parseInput(resumeSubscriptionInput, input);
  const prepared = await ctx.db.transaction(async (tx): Promise<PreparedCharge | null> => {
    const contract = await lockContract(tx, ctx.merchantId, data.subscriptionId, ctx.clock);
    const { sub, plan, now, timeZone } = contract;
    if ((sub.status === "active" || sub.status === "trialing") && sub.cancelAtPeriodEnd) {
      await cancelPendingActions(tx, sub.id, ["period_end_cancel"], "resumed");
      await tx.update(subscriptions).set({ cancelAtPeriodEnd: false, canceledAt: null, cancelReason: null, updatedAt: now }).where(eq(subscriptions.id, sub.id));
      const trialing = sub.status === "trialing";
      // The cancellation called off the trial's reminder too: it comes back if it is still ahead.
      const reminder = trialing && sub.trialStart ? trialReminderDate(plan, localDateOf(sub.trialStart, timeZone), localDateOf(sub.paidThrough!, timeZone)) : null;
      const reminderAt = reminder ? startOfLocalDay(reminder, timeZone) : null;
      await scheduleActions(tx, [
        {
          merchantId: ctx.merchantId,
          kind: trialing ? "trial_end" : "renewal",
          dueAt: sub.paidThrough!,
          idempotencyKey: trialing ? actionKeys.trialEnd(sub.id, sub.paidThrough!) : actionKeys.renewal(sub.id, sub.paidThrough!),
          subscriptionId: sub.id,
          testClockId: sub.testClockId,
        },
        ...(reminderAt && reminderAt > now
          ? [{ merchantId: ctx.merchantId, kind: "trial_reminder" as const, dueAt: reminderAt, idempotencyKey: actionKeys.trialReminder(sub.id, sub.paidThrough!), subscriptionId: sub.id, testClockId: sub.testClockId }]
          : []),
      ]);
      await queueContractMail(tx, contract, { template: "resumed", idempotencyKey: `resumed:${sub.id}:${now.toISOString()}` });
      await recordAudit(tx, ctx, { action: "subscription.resumed", targetType: "subscription", targetId: sub.id, data: { undo: "cancel_at_period_end" }, at: now });
      return null;
    }
    if (sub.status !== "canceled" && sub.status !== "withdrawn") throw conflict(`A ${sub.status} contract cannot be resumed`, "illegal_state");
    if (!sub.paymentMethodId) throw new ServiceError("invalid", "The contract has no card on file to resume with", { param: "payment_method" });

    const today = localDateOf(now, timeZone);
    const anchor = plan.billingDay ?? (isWeekInterval(plan.interval) ? weekdayOf(today) : today.day);
    const period = firstPaidPeriod(contract.terms, anchor, today);
    const periodEnd = startOfLocalDay(period.periodEnd, timeZone);
    if (period.kind === "free_until_billing_day") {
      Object.assign(contract.sub, { billingAnchor: anchor });
      await tx
        .update(subscriptions)
        .set({ status: nextStatus(sub.status, "resume"), billingAnchor: anchor, currentPeriodStart: now, paidThrough: periodEnd, canceledAt: null, endedAt: null, cancelReason: null, overdueInvoiceId: null, unpaidSince: null, updatedAt: now })
        .where(eq(subscriptions.id, sub.id));
      await scheduleRenewal(tx, contract, periodEnd);
      await queueContractMail(tx, contract, { template: "resumed", idempotencyKey: `resumed:${sub.id}:${now.toISOString()}` });
      await recordAudit(tx, ctx, { action: "subscription.resumed", targetType: "subscription", targetId: sub.id, at: now });
      return null;
    }
    // A resume still in flight (a second press, or a crash before the answer was recorded) is replayed with its
    // own attempt key, never charged again; a declined one is void for good, and the next press gets a new invoice.
    const resumeInvoices = await tx
      .select()
      .from(invoices)
      .where(and(eq(invoices.merchantId, ctx.merchantId), eq(invoices.subscriptionId, sub.id), eq(invoices.kind, "resume")));
    const inFlight = resumeInvoices.find((i) => i.status === "open");
    if (inFlight) return openAttempt(tx, inFlight, { paymentMethodId: sub.paymentMethodId, trigger: "resume", actionId: null, at: now });
    const invoice = await issueInvoice(tx, contract, {
      kind: "resume",
      billingKey: `resume:${sub.id}:${resumeInvoices.length + 1}`,
      lines: firstInvoiceLines(contract.terms, plan.name ?? contract.product.name, period, sub.joiningFeePending),
      periodStart: now,
      periodEnd,
    });
    await recordAudit(tx, ctx, { action: "subscription.resume_requested", targetType: "subscription", targetId: sub.id, data: { invoice: invoice.id }, at: now });
    return openAttempt(tx, invoice, { paymentMethodId: sub.paymentMethodId, trigger: "resume", actionId: null, at: now });
  });
  if (prepared) {
    const settled = await chargeNow(ctx, prepared, data.subscriptionId);
    if (settled.status === "failed") {
      throw new ServiceError("payment_declined", "The card was declined; the contract was not resumed", { declineCode: settled.failureCode });
    }
  }
  return loadSubscription(ctx, data.subscriptionId);
}
