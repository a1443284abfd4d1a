import { z } from "zod";
import { effects } from "@/lib/billing/effects";
import { MANUAL_RETRY_HORIZON_MS, plannedManualRetry } from "@/lib/billing/decisions/manual-retry";
import type { ServiceContext } from "./context";
import { conflict, invalid, parseInput } from "./errors";
import { collectNow, openCharge } from "./internal/collect";
import { onContract } from "./internal/contract-verb";
import { owedInvoice } from "./internal/owed-invoice";
import { loadSubscription } from "./read-subscription";

export const retryPaymentInput = z.object({
  subscriptionId: z.string().min(1),
  /** Retry at this time instead of now (seed 004: the merchant picks the date). */
  at: z.coerce.date().nullish(),
});

/**
 * Manual retry of what a contract owes, now or on a chosen date (seed 004). A declined retry is reported
 * (payment_declined) and follows the decline rules: a hard decline skips the remaining automatic retries.
 */
export async function retryPayment(ctx: ServiceContext, input: z.input<typeof retryPaymentInput>) {
  const data = parseInput(retryPaymentInput, input);
  const prepared = await onContract(ctx, data.subscriptionId, "contracts.operate", async (tx, contract, writer) => {
    const { sub, now } = contract;
    const invoice = await owedInvoice(tx, contract, writer);
    if (!invoice) throw conflict(`A ${sub.status} contract owes nothing to retry`, "nothing_owed");
    if (data.at && data.at.getTime() > now.getTime()) {
      if (data.at.getTime() - now.getTime() > MANUAL_RETRY_HORIZON_MS) throw invalid("A retry can be planned at most a year ahead", "at");
      writer.apply(contract, plannedManualRetry(invoice.id, data.at));
      return null;
    }
    writer.apply(contract, effects({ audit: [{ action: "subscription.retry_requested", data: { invoice: invoice.id } }] }));
    return (await openCharge(tx, writer, contract, { invoice }, "manual")).prepared;
  });
  const payment = prepared ? await collectNow(ctx, prepared, data.subscriptionId) : null;
  return { subscription: await loadSubscription(ctx, data.subscriptionId), payment };
}
