import { z } from "zod";
import { canTransition, isOverdue } from "@/lib/billing/subscription-state";
import { recordAudit } from "./audit";
import { chargeNow } from "./charge-now";
import { lockContract } from "./contract";
import type { ServiceContext } from "./context";
import { conflict, invalid, parseInput, ServiceError } from "./errors";
import { issueInvoice, lockInvoice } from "./invoicing";
import { openAttempt } from "./payment-attempts";
import { loadInvoice } from "./read-invoice";

export const chargeAdditionalInput = z.object({
  subscriptionId: z.string().min(1),
  amount: z.number().int().min(1).max(99_999_999_999),
  description: z.string().trim().max(500).nullish(),
  /** Extend the paid-through date by one cycle (seed 001: 有効期限を1周期延長). */
  extendPaidThrough: z.boolean().default(false),
  /** Send the renewal (receipt) mail. */
  sendMail: z.boolean().default(false),
  /** Makes the charge idempotent for the caller (defaults to one charge per call). */
  requestKey: z.string().max(200).nullish(),
});

/**
 * An extra charge to the card on file (追加請求), also the way to collect an unpaid balance. Refused when the
 * last successful payment is older than the merchant's card-on-file window (seed 001: one year).
 */
export async function chargeAdditional(ctx: ServiceContext, input: z.input<typeof chargeAdditionalInput>) {
  const data = parseInput(chargeAdditionalInput, input);
  const started = await ctx.db.transaction(async (tx) => {
    const contract = await lockContract(tx, ctx.merchantId, data.subscriptionId, ctx.clock);
    const { sub, now, merchant } = contract;
    if (sub.status === "canceled" || sub.status === "withdrawn" || sub.status === "incomplete") {
      throw conflict(`A ${sub.status} contract cannot be charged`, "illegal_state");
    }
    if (data.extendPaidThrough && !canTransition(sub.status, "payment_succeeded")) throw conflict(`A ${sub.status} contract's paid-through date cannot be extended`, "illegal_state");
    if (!sub.paymentMethodId) throw new ServiceError("invalid", "The contract has no card on file", { param: "payment_method" });
    const windowDays = merchant.billingSettings.cardOnFileWindowDays;
    if (!sub.lastPaymentAt || now.getTime() - sub.lastPaymentAt.getTime() > windowDays * 86_400_000) {
      throw conflict(
        sub.lastPaymentAt
          ? `The last successful payment (${sub.lastPaymentAt.toISOString()}) is older than ${windowDays} days; the card on file can no longer be charged`
          : "The contract has never been paid; the card on file cannot be charged",
        "card_on_file_window_exceeded",
      );
    }
    if (data.extendPaidThrough && isOverdue(sub.status) && sub.overdueInvoiceId) {
      const overdue = await lockInvoice(tx, ctx.merchantId, sub.overdueInvoiceId);
      if (overdue && data.amount < overdue.total) {
        throw invalid(`Collecting the unpaid balance with an extension needs at least ${overdue.total} (the overdue invoice's total)`, "amount");
      }
    }
    const invoice = await issueInvoice(tx, contract, {
      kind: "additional",
      billingKey: `additional:${sub.id}:${data.requestKey ?? `${now.toISOString()}:${crypto.randomUUID()}`}`,
      lines: [{ kind: "additional", description: data.description ?? "追加請求", amount: data.amount, quantity: 1 }],
      description: data.description ?? null,
      extendPaidThrough: data.extendPaidThrough,
      sendMail: data.sendMail,
    });
    await recordAudit(tx, ctx, { action: "invoice.additional_charge", targetType: "invoice", targetId: invoice.id, data: { amount: data.amount, extendPaidThrough: data.extendPaidThrough }, at: now });
    if (invoice.status !== "open") return { invoiceId: invoice.id, prepared: null };
    return { invoiceId: invoice.id, prepared: await openAttempt(tx, invoice, { paymentMethodId: sub.paymentMethodId, trigger: "additional", actionId: null, at: now }) };
  });
  const payment = started.prepared ? await chargeNow(ctx, started.prepared, data.subscriptionId) : null;
  const invoice = await loadInvoice(ctx, started.invoiceId);
  if (payment?.status === "failed") {
    throw new ServiceError("payment_declined", `The card was declined (${payment.failureCode})`, { declineCode: payment.failureCode, invoiceId: invoice.id });
  }
  return invoice;
}
