import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { customers, invoices, subscriptions } from "@/db/schema";
import { isEnded } from "@/lib/billing/subscription-state";
import { SandboxCardError } from "@/lib/gateways/sandbox-cards";
import { addPaymentMethod } from "./add-payment-method";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { conflict, notFound, parseInput, ServiceError } from "./errors";
import { customerNow } from "./internal/contract";
import { updateSubscriptionPaymentMethod } from "./update-payment-method";

// Japanese keyboards type full-width digits and spaces; the card form takes what people type.
const typed = (max: number) => z.string().transform((s) => s.normalize("NFKC").trim()).pipe(z.string().max(max));

export const updateCardFromLinkInput = z.object({
  subscriptionId: z.string().min(1),
  card: z.object({
    number: typed(40).pipe(z.string().regex(/^[\d -]*$/, "Only digits")).transform((s) => s.replace(/[ -]/g, "")),
    expMonth: typed(2).pipe(z.string().regex(/^\d{1,2}$/, "Month as 1–12")),
    // "27" or "2027": a card shows two digits.
    expYear: typed(4).pipe(z.string().regex(/^(\d{2}|\d{4})$/, "Year as YY or YYYY")).transform((y) => (y.length === 2 ? `20${y}` : y)),
    cvc: typed(4),
    /** The cardholder's name as on the card: a real gateway's form sends it with the card; the sandbox only asks for it. */
    name: typed(100).pipe(z.string().min(1, "Required")),
  }),
});

export type CardUpdated = {
  card: { brand: string; last4: string; expMonth: number; expYear: number };
  status: (typeof subscriptions.$inferSelect)["status"];
  /** What the contract owed and the new card paid just now; null when nothing was owed. */
  paid: { invoiceId: string; amount: number; currency: string } | null;
};

/**
 * An end user replaces the card of their contract from the signed link in a mail (the card page): the card form's
 * input is tokenized at the sandbox gateway (its card form; gateway-hosted fields replace this with the mypage), saved,
 * set on the contract, and what the contract owes is charged at once (updateSubscriptionPaymentMethod: one attempt,
 * replayed rather than repeated when the form is sent twice). A card refused when saved, or declined for what is owed,
 * is `payment_declined` (the latter with the invoice: the new card is kept). An ended contract's card is not changed.
 */
export async function updateCardFromLink(ctx: ServiceContext, input: z.input<typeof updateCardFromLinkInput>): Promise<CardUpdated> {
  const data = parseInput(updateCardFromLinkInput, input);
  const [row] = await ctx.db
    .select({ sub: subscriptions, testClockId: customers.testClockId })
    .from(subscriptions)
    .innerJoin(customers, eq(customers.id, subscriptions.customerId))
    .where(and(eq(subscriptions.id, data.subscriptionId), eq(subscriptions.merchantId, ctx.merchantId)));
  if (!row) throw notFound("subscription", data.subscriptionId, "subscription");
  const { sub } = row;
  authorize(ctx.actor, "contracts.operate", { customerId: sub.customerId, what: "subscription", id: sub.id });
  if (isEnded(sub.status)) throw conflict(`A ${sub.status} contract's card cannot be changed`, "contract_ended");

  const gateway = ctx.gateways.primary;
  if (gateway.name !== "sandbox" || !gateway.testControls) {
    throw new ServiceError("unavailable", `The card form of the ${gateway.name} gateway is not available on this page yet`, { reason: "card_form_unavailable" });
  }
  let token;
  try {
    const now = await customerNow(ctx.db, row.testClockId, ctx.clock);
    token = await gateway.testControls.createToken(data.card, now);
  } catch (error) {
    if (error instanceof SandboxCardError) throw new ServiceError("invalid", error.message, { param: `card.${error.param}`, reason: /expired/i.test(error.message) ? "card_expired" : "card_field" });
    throw error;
  }
  const card = await addPaymentMethod(ctx, { customerId: sub.customerId, token: token.id, makeDefault: true });
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
