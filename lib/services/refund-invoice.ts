import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { invoices, paymentAttempts, paymentMethods, refunds, subscriptions } from "@/db/schema";
import { effects } from "@/lib/billing/effects";
import { formatMoney } from "@/lib/billing/money";
import { mailKeys } from "@/lib/billing/mail-template";
import { newId } from "@/lib/ids";
import { authorize } from "./authorize";
import { gatewayOf } from "./internal/payment-attempts";
import type { ServiceContext } from "./context";
import { conflict, invalid, notFound, parseInput, ServiceError } from "./errors";
import { type Contract, customerNow, lockContract } from "./internal/contract";
import { ContractWriter } from "./internal/contract-writer";
import { lockInvoice } from "./internal/invoicing";

export const refundInvoiceInput = z.object({
  invoiceId: z.string().min(1),
  /** Minor units; the whole of what is left to refund when absent. */
  amount: z.number().int().min(1).max(99_999_999_999).nullish(),
  reason: z.string().trim().max(500).nullish(),
  /** Makes the refund idempotent for the caller (the API passes its Idempotency-Key). */
  requestKey: z.string().max(200).nullish(),
});

export type RefundRow = typeof refunds.$inferSelect;

/**
 * Gives back part or all of a paid invoice (返金): never more than is left once earlier refunds (and refunds still
 * on their way) are counted. The refund row is written first and its id is the gateway's idempotency key, so a
 * refund whose answer was lost is replayed by the same request, never made twice. A refund changes the invoice's
 * amount_refunded, not the contract: cancel it separately if the customer is leaving.
 */
export async function refundInvoice(ctx: ServiceContext, input: z.input<typeof refundInvoiceInput>): Promise<RefundRow> {
  const data = parseInput(refundInvoiceInput, input);
  authorize(ctx.actor, "refunds.issue");
  const started = await ctx.db.transaction(async (tx) => {
    const invoice = await lockInvoice(tx, ctx.merchantId, data.invoiceId);
    if (!invoice) throw notFound("invoice", data.invoiceId, "invoice");
    if (data.requestKey) {
      const [again] = await tx.select().from(refunds).where(and(eq(refunds.merchantId, ctx.merchantId), eq(refunds.requestKey, data.requestKey)));
      if (again) {
        if (again.invoiceId !== invoice.id) throw conflict("This request key was used for a refund of another invoice", "request_key_reused");
        return { refund: again, chargeId: await paidCharge(tx, invoice.id) };
      }
    }
    if (invoice.status !== "paid") throw conflict(`A ${invoice.status} invoice has nothing to refund`, "invoice_not_paid");
    const [owner] = await tx.select({ testClockId: subscriptions.testClockId }).from(subscriptions).where(eq(subscriptions.id, invoice.subscriptionId));
    const chargeId = await paidCharge(tx, invoice.id);
    if (!chargeId || invoice.total === 0) throw conflict("Nothing was charged on this invoice", "nothing_charged");
    const left = invoice.total - (await refundsHeld(tx, invoice.id));
    if (left <= 0) throw conflict("The invoice is refunded in full already", "fully_refunded");
    const amount = data.amount ?? left;
    if (amount > left) throw invalid(`At most ${formatMoney({ amount: left, currency: invoice.currency })} is left to refund`, "amount", "amount_too_large");
    const [refund] = await tx
      .insert(refunds)
      .values({
        id: newId("re"),
        merchantId: ctx.merchantId,
        invoiceId: invoice.id,
        subscriptionId: invoice.subscriptionId,
        amount,
        currency: invoice.currency,
        reason: data.reason ?? null,
        status: "pending",
        requestKey: data.requestKey ?? null,
        // A test-clock customer's refund happens on its clock, like everything else the contract does.
        createdAt: await customerNow(tx, owner?.testClockId ?? null, ctx.clock),
      })
      .returning();
    return { refund: refund!, chargeId };
  });
  if (started.refund.status !== "pending") return started.refund;
  return completeRefund(ctx, started.refund, started.chargeId!);
}

/** What the invoice's refunds done or on their way add up to: what is no longer there to refund. */
async function refundsHeld(tx: Db, invoiceId: string): Promise<number> {
  const [held] = await tx
    .select({ total: sql<string>`coalesce(sum(${refunds.amount}), 0)` })
    .from(refunds)
    .where(and(eq(refunds.invoiceId, invoiceId), inArray(refunds.status, ["pending", "succeeded"])));
  return Number(held!.total);
}

/** The gateway charge that paid the invoice. */
async function paidCharge(tx: Db, invoiceId: string): Promise<string | null> {
  const [attempt] = await tx
    .select({ chargeId: paymentAttempts.gatewayChargeId })
    .from(paymentAttempts)
    .where(and(eq(paymentAttempts.invoiceId, invoiceId), eq(paymentAttempts.status, "succeeded")));
  return attempt?.chargeId ?? null;
}

async function completeRefund(ctx: ServiceContext, refund: RefundRow, chargeId: string): Promise<RefundRow> {
  const gateway = await gatewayOfCharge(ctx, refund.invoiceId);
  let result;
  try {
    result = await gateway.refund({ chargeId, amount: refund.amount, currency: refund.currency, idempotencyKey: refund.id });
  } catch (error) {
    throw new ServiceError("unavailable", `The payment gateway did not answer; the refund is confirmed when the request is made again (${(error as Error).message})`, { reason: "gateway_unavailable" });
  }
  const done = await ctx.db.transaction(async (tx) => {
    const contract = await lockContract(tx, ctx.merchantId, refund.subscriptionId, ctx.clock);
    const status = result.status === "succeeded" ? "succeeded" : "failed";
    const [updated] = await tx
      .update(refunds)
      .set({ status, gatewayRefundId: result.status === "succeeded" ? result.refundId : null, failureCode: result.status === "failed" ? result.failureCode : null, completedAt: contract.now })
      .where(and(eq(refunds.id, refund.id), eq(refunds.status, "pending")))
      .returning();
    if (!updated) return (await tx.select().from(refunds).where(eq(refunds.id, refund.id)))[0]!;
    if (status === "failed") return updated;
    await recordRefundDone(tx, ctx, contract, updated);
    return updated;
  });
  if (done.status === "failed") {
    throw new ServiceError("payment_declined", `The gateway refused the refund (${done.failureCode})`, {
      declineCode: done.failureCode ?? undefined,
      invoiceId: refund.invoiceId,
      subscriptionId: refund.subscriptionId,
      reason: "refund_failed",
    });
  }
  return done;
}

/** Refunds go to the gateway that took the payment: the paid attempt's card names it. */
async function gatewayOfCharge(ctx: ServiceContext, invoiceId: string) {
  const [row] = await ctx.db
    .select({ gateway: paymentMethods.gateway })
    .from(paymentAttempts)
    .innerJoin(paymentMethods, eq(paymentMethods.id, paymentAttempts.paymentMethodId))
    .where(and(eq(paymentAttempts.invoiceId, invoiceId), eq(paymentAttempts.status, "succeeded")));
  const gateway = row ? await gatewayOf(ctx.gateways, ctx.merchantId, row.gateway) : undefined;
  if (!gateway) throw new ServiceError("unavailable", `The ${row?.gateway ?? "payment"} gateway that took this payment is not configured here`, { reason: "gateway_unavailable" });
  return gateway;
}

/** What a refund that went through changes: what the invoice has refunded, the customer's mail, the audit trail. */
async function recordRefundDone(tx: Db, ctx: ServiceContext, contract: Contract, refund: RefundRow, data: Record<string, unknown> = {}): Promise<void> {
  await tx.update(invoices).set({ amountRefunded: sql`${invoices.amountRefunded} + ${refund.amount}` }).where(eq(invoices.id, refund.invoiceId));
  const writer = new ContractWriter(ctx);
  writer.apply(
    contract,
    effects({
      mails: [{ template: "refund", key: mailKeys.refund(refund.id), invoiceId: refund.invoiceId, amount: { amount: refund.amount, currency: refund.currency } }],
      audit: [{ action: "invoice.refunded", target: { type: "invoice", id: refund.invoiceId }, data: { refund: refund.id, amount: refund.amount, reason: refund.reason, ...data } }],
    }),
  );
  await writer.flush(tx);
}

export type GatewayRefundOutcome = "recorded" | "already_recorded";

/**
 * A refund made at the gateway itself (the merchant's Stripe dashboard), learnt from its webhook: the charge's
 * refunded total beyond what our refunds (done or on their way) account for is recorded as one refund, with its
 * mail and audit, as if made here. Cumulative totals make it safe to repeat and to receive out of order: an older
 * event's smaller total records nothing.
 */
export async function recordRefundMadeAtGateway(
  ctx: ServiceContext,
  input: { invoiceId: string; subscriptionId: string; refundedAtGateway: number; currency: string; gatewayRefundId: string | null; eventId: string },
): Promise<GatewayRefundOutcome> {
  return ctx.db.transaction(async (tx) => {
    const contract = await lockContract(tx, ctx.merchantId, input.subscriptionId, ctx.clock);
    const invoice = await lockInvoice(tx, ctx.merchantId, input.invoiceId);
    if (!invoice) throw notFound("invoice", input.invoiceId, "invoice");
    const missing = Math.min(input.refundedAtGateway, invoice.total) - (await refundsHeld(tx, invoice.id));
    if (missing <= 0) return "already_recorded";
    const [refund] = await tx
      .insert(refunds)
      .values({
        id: newId("re"),
        merchantId: ctx.merchantId,
        invoiceId: invoice.id,
        subscriptionId: invoice.subscriptionId,
        amount: missing,
        currency: invoice.currency,
        reason: null,
        status: "succeeded",
        gatewayRefundId: input.gatewayRefundId,
        createdAt: contract.now,
        completedAt: contract.now,
      })
      .returning();
    await recordRefundDone(tx, ctx, contract, refund!, { madeAtGateway: true, gatewayEvent: input.eventId });
    return "recorded";
  });
}