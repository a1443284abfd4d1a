import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { paymentMethods } from "@/db/schema";
import { effects } from "@/lib/billing/effects";
import { isEnded } from "@/lib/billing/subscription-state";
import type { ServiceContext } from "./context";
import { conflict, notFound, parseInput } from "./errors";
import { collectNow, openCharge } from "./internal/collect";
import { onContract } from "./internal/contract-verb";
import { owedInvoice } from "./internal/owed-invoice";
import { loadSubscription } from "./read-subscription";

export const updatePaymentMethodInput = z.object({
  subscriptionId: z.string().min(1),
  paymentMethodId: z.string().min(1),
});

/**
 * Sets the card a contract is charged on. When the contract owes an invoice (incomplete, past due, unpaid, or an
 * ended contract's final invoice), it is retried at once on the new card — one attempt, replayed rather than
 * repeated if pressed twice — and a paid retry returns the contract to active (an incomplete one starts its first
 * period). A declined retry keeps the new card and is reported (payment_declined).
 */
export async function updateSubscriptionPaymentMethod(ctx: ServiceContext, input: z.input<typeof updatePaymentMethodInput>) {
  const data = parseInput(updatePaymentMethodInput, input);
  const prepared = await onContract(ctx, data.subscriptionId, "contracts.operate", async (tx, contract, writer) => {
    const { sub } = contract;
    const [card] = await tx.select().from(paymentMethods).where(and(eq(paymentMethods.id, data.paymentMethodId), eq(paymentMethods.merchantId, ctx.merchantId)));
    if (!card || card.customerId !== sub.customerId || card.status !== "active") throw notFound("payment method", data.paymentMethodId, "payment_method");
    const owed = await owedInvoice(tx, contract, writer);
    if (isEnded(sub.status) && !owed) throw conflict(`A ${sub.status} contract is not charged any more`, "illegal_state");
    writer.apply(
      contract,
      effects({ changes: { paymentMethodId: card.id }, audit: [{ action: "subscription.payment_method_updated", data: { paymentMethod: card.id, brand: card.brand, last4: card.last4 } }] }),
    );
    return owed ? (await openCharge(tx, writer, contract, { invoice: owed }, "card_update")).prepared : null;
  });
  if (prepared) await collectNow(ctx, prepared, data.subscriptionId);
  return loadSubscription(ctx, data.subscriptionId);
}
