import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { invoices, subscriptions } from "@/db/schema";
import { actionKeys } from "@/lib/billing/scheduled-action";
import { isOverdue } from "@/lib/billing/subscription-state";
import { recordAudit } from "./audit";
import { chargeNow } from "./charge-now";
import { type Contract, lockContract } from "./contract";
import type { ServiceContext } from "./context";
import { conflict, invalid, parseInput } from "./errors";
import { lockInvoice } from "./invoicing";
import { openAttempt, type PreparedCharge } from "./payment-attempts";
import { loadSubscription } from "./read-subscription";
import { scheduleActions } from "./scheduling";

export const retryPaymentInput = z.object({
  subscriptionId: z.string().min(1),
  /** Retry at this time instead of now (seed 004: the merchant picks the date). */
  at: z.coerce.date().nullish(),
});

/** Manual retry of what a contract owes, now or on a chosen date. A failure changes the retry plan nothing. */
export async function retryPayment(ctx: ServiceContext, input: z.input<typeof retryPaymentInput>) {
  const data = parseInput(retryPaymentInput, input);
  const prepared = await ctx.db.transaction(async (tx): Promise<PreparedCharge | null> => {
    const contract = await lockContract(tx, ctx.merchantId, data.subscriptionId, ctx.clock);
    const { sub, now } = contract;
    const overdueInvoiceId = sub.overdueInvoiceId ?? (sub.status === "incomplete" ? await adoptUnansweredCheckout(tx, contract) : null);
    if (!isOverdue(sub.status) || !overdueInvoiceId) throw conflict(`A ${sub.status} contract owes nothing to retry`, "nothing_owed");
    const invoice = await lockInvoice(tx, ctx.merchantId, overdueInvoiceId);
    if (!invoice || invoice.status !== "open") throw conflict("The overdue invoice is no longer open", "invoice_not_open");
    if (data.at && data.at.getTime() > now.getTime()) {
      if (data.at.getTime() - now.getTime() > 366 * 86_400_000) throw invalid("A retry can be planned at most a year ahead", "at");
      await scheduleActions(tx, [
        { merchantId: ctx.merchantId, kind: "retry", dueAt: data.at, idempotencyKey: actionKeys.manualRetry(invoice.id, data.at), subscriptionId: sub.id, invoiceId: invoice.id, testClockId: sub.testClockId, payload: { manual: true } },
      ]);
      await recordAudit(tx, ctx, { action: "subscription.retry_scheduled", targetType: "subscription", targetId: sub.id, data: { at: data.at.toISOString(), invoice: invoice.id }, at: now });
      return null;
    }
    await recordAudit(tx, ctx, { action: "subscription.retry_requested", targetType: "subscription", targetId: sub.id, data: { invoice: invoice.id }, at: now });
    return openAttempt(tx, invoice, { paymentMethodId: sub.paymentMethodId, trigger: "manual", actionId: null, at: now });
  });
  const payment = prepared ? await chargeNow(ctx, prepared, data.subscriptionId) : null;
  return { subscription: await loadSubscription(ctx, data.subscriptionId), payment };
}

/**
 * An incomplete contract whose checkout charge never got its answer (the gateway did not reply, or the process
 * died before settling) owes its open first invoice just as if the charge had been declined; without this its
 * in-flight attempt could never be replayed and the contract would stay incomplete for good.
 */
async function adoptUnansweredCheckout(tx: Db, contract: Contract): Promise<string | null> {
  const { sub, now } = contract;
  const [first] = await tx
    .select({ id: invoices.id })
    .from(invoices)
    .where(and(eq(invoices.merchantId, sub.merchantId), eq(invoices.subscriptionId, sub.id), eq(invoices.kind, "first"), eq(invoices.status, "open")));
  if (!first) return null;
  await tx.update(subscriptions).set({ overdueInvoiceId: first.id, updatedAt: now }).where(eq(subscriptions.id, sub.id));
  contract.sub.overdueInvoiceId = first.id;
  return first.id;
}
