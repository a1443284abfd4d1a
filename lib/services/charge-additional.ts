import { z } from "zod";
import { effects } from "@/lib/billing/effects";
import { canTransition, isOverdue } from "@/lib/billing/subscription-state";
import type { ServiceContext } from "./context";
import { conflict, invalid, parseInput, ServiceError } from "./errors";
import { collectNow, openCharge } from "./internal/collect";
import { onContract } from "./internal/contract-verb";
import { lockInvoice } from "./internal/invoicing";
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
 * last successful payment is older than the merchant's card-on-file window (seed 001: one year). A declined
 * charge leaves a void invoice and is reported (payment_declined, naming it).
 */
export async function chargeAdditional(ctx: ServiceContext, input: z.input<typeof chargeAdditionalInput>) {
  const data = parseInput(chargeAdditionalInput, input);
  const started = await onContract(ctx, data.subscriptionId, "contracts.operate", async (tx, contract, writer) => {
    const { sub, now, merchant, plan } = contract;
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
    const opened = await openCharge(
      tx,
      writer,
      contract,
      {
        draft: {
          kind: "additional",
          billingKey: `additional:${sub.id}:${data.requestKey ?? `${now.toISOString()}:${crypto.randomUUID()}`}`,
          planId: null,
          lines: [{ kind: "additional", description: data.description ?? "追加請求", amount: data.amount, quantity: 1 }],
          periodStart: null,
          periodEnd: null,
          description: data.description ?? null,
          extendPaidThrough: data.extendPaidThrough,
          sendMail: data.sendMail,
          creditApplied: 0,
        },
      },
      "additional",
    );
    writer.apply(contract, effects({ audit: [{ action: "invoice.additional_charge", target: { type: "invoice", id: opened.invoice.id }, data: { amount: data.amount, currency: plan.currency, extendPaidThrough: data.extendPaidThrough } }] }));
    return opened;
  });
  if (started.prepared) await collectNow(ctx, started.prepared, data.subscriptionId);
  return loadInvoice(ctx, started.invoice.id);
}
