import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { invoices, subscriptions } from "@/db/schema";
import { isEnded } from "@/lib/billing/subscription-state";
import { addPaymentMethod } from "./add-payment-method";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { conflict, notFound, parseInput } from "./errors";
import { updateSubscriptionPaymentMethod } from "./update-payment-method";

export const updateCardFromLinkInput = z.object({
  subscriptionId: z.string().min(1),
  /** The one-time token from the gateway's card form (hosted fields): the card number never reaches this server. */
  token: z.string().min(1).max(200),
});

export type CardUpdated = {
  card: { brand: string; last4: string; expMonth: number; expYear: number };
  status: (typeof subscriptions.$inferSelect)["status"];
  /** What the contract owed and the new card paid just now; null when nothing was owed. */
  paid: { invoiceId: string; amount: number; currency: string } | null;
};

/**
 * An end user replaces the card of their contract from the card page (a mail's signed link, or the mypage): the
 * token of the gateway's card form is saved, set on the contract, and what the contract owes is charged at once
 * (updateSubscriptionPaymentMethod: one attempt, replayed rather than repeated when the form is sent twice). A card
 * that needs 3-D Secure first is `payment_declined` with reason `authentication_required` and the challenge's
 * `actionUrl` (addPaymentMethod): once the customer has answered there, the same token is sent again. A card refused
 * when saved (or failing authentication), or declined for what is owed, is `payment_declined` (the latter with the
 * invoice: the new card is kept). An ended contract's card is not changed.
 */
export async function updateCardFromLink(ctx: ServiceContext, input: z.input<typeof updateCardFromLinkInput>): Promise<CardUpdated> {
  const data = parseInput(updateCardFromLinkInput, input);
  const [sub] = await ctx.db.select().from(subscriptions).where(and(eq(subscriptions.id, data.subscriptionId), eq(subscriptions.merchantId, ctx.merchantId)));
  if (!sub) throw notFound("subscription", data.subscriptionId, "subscription");
  authorize(ctx.actor, "contracts.operate", { customerId: sub.customerId, what: "subscription", id: sub.id });
  if (isEnded(sub.status)) throw conflict(`A ${sub.status} contract's card cannot be changed`, "contract_ended");

  const card = await addPaymentMethod(ctx, { customerId: sub.customerId, token: data.token, makeDefault: true });
  const owedBefore = await openInvoiceIds(ctx, sub.id);
  const updated = await updateSubscriptionPaymentMethod(ctx, { subscriptionId: sub.id, paymentMethodId: card.id });
  const paid = await paidNow(ctx, owedBefore);
  return { card: { brand: card.brand, last4: card.last4, expMonth: card.expMonth, expYear: card.expYear }, status: updated.status, paid };
}

async function openInvoiceIds(ctx: ServiceContext, subscriptionId: string): Promise<string[]> {
  const rows = await ctx.db
    .select({ id: invoices.id })
    .from(invoices)
    .where(and(eq(invoices.merchantId, ctx.merchantId), eq(invoices.subscriptionId, subscriptionId), eq(invoices.status, "open")));
  return rows.map((r) => r.id);
}

/** Of the invoices that were open before the card changed, the one it paid (the owed one: there is one at most). */
async function paidNow(ctx: ServiceContext, invoiceIds: readonly string[]): Promise<CardUpdated["paid"]> {
  for (const id of invoiceIds) {
    const [invoice] = await ctx.db
      .select({ id: invoices.id, status: invoices.status, total: invoices.total, currency: invoices.currency })
      .from(invoices)
      .where(and(eq(invoices.merchantId, ctx.merchantId), eq(invoices.id, id)));
    if (invoice?.status === "paid") return { invoiceId: invoice.id, amount: invoice.total, currency: invoice.currency };
  }
  return null;
}
