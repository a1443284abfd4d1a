import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { customers, paymentMethods } from "@/db/schema";
import { cardExpiryNoticeAt, expiryMonthKey } from "@/lib/billing/card-expiry";
import { declineKind } from "@/lib/billing/decline";
import { actionKeys } from "@/lib/billing/scheduled-action";
import { CardAttachError } from "@/lib/gateways/payment-gateway";
import { newId } from "@/lib/ids";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { notFound, parseInput, ServiceError } from "./errors";
import { recordAudit } from "./internal/audit";
import { customerNow } from "./internal/contract";
import { planActions } from "./internal/scheduled-actions";
import { merchantTimeZone } from "./merchant-settings";

export const addPaymentMethodInput = z.object({
  customerId: z.string().min(1),
  /** The one-time token from the gateway's card form. */
  token: z.string().min(1).max(200),
  makeDefault: z.boolean().default(true),
});

/**
 * Saves a card from a gateway token at the deployment's primary gateway (the server never sees the number) and
 * plans its expiry notice for the 1st of the month it expires. A card the issuer refuses is payment_declined; one
 * that needs the customer to authenticate first (3-D Secure) is too, with reason `authentication_required`: the
 * hosted card form completes the authentication before it hands over a token.
 */
export async function addPaymentMethod(ctx: ServiceContext, input: z.input<typeof addPaymentMethodInput>) {
  const data = parseInput(addPaymentMethodInput, input);
  const [customer] = await ctx.db.select().from(customers).where(and(eq(customers.id, data.customerId), eq(customers.merchantId, ctx.merchantId)));
  if (!customer) throw notFound("customer", data.customerId, "customer");
  authorize(ctx.actor, "contracts.operate", { customerId: customer.id, what: "customer", id: customer.id });
  const gateway = ctx.gateways.primary;
  let setup;
  try {
    setup = await gateway.setupCard({ token: data.token, customerId: customer.id });
  } catch (error) {
    if (error instanceof CardAttachError) {
      // A card the issuer refuses is a decline; a token that is unknown or already used is the caller's mistake.
      if (error.declineCode === "token_not_found" || error.declineCode === "token_already_used") throw new ServiceError("invalid", error.message, { param: "token", reason: error.declineCode });
      throw new ServiceError("payment_declined", error.message, { param: "token", declineCode: error.declineCode, declineKind: declineKind(error.declineCode) });
    }
    throw error;
  }
  if (setup.status === "requires_action") {
    throw new ServiceError("payment_declined", "The card needs the customer to authenticate (3-D Secure) before it can be saved", { param: "token", reason: "authentication_required", declineCode: "authentication_required" });
  }
  const { card } = setup;
  return ctx.db.transaction(async (tx) => {
    const now = await customerNow(tx, customer.testClockId, ctx.clock);
    const timeZone = await merchantTimeZone(tx, ctx.merchantId);
    const [pm] = await tx
      .insert(paymentMethods)
      .values({ id: newId("pm"), merchantId: ctx.merchantId, customerId: customer.id, gateway: gateway.name, ...card, createdAt: now })
      .returning();
    if (data.makeDefault) await tx.update(customers).set({ defaultPaymentMethodId: pm!.id }).where(eq(customers.id, customer.id));
    const noticeAt = cardExpiryNoticeAt(card.expMonth, card.expYear, timeZone);
    if (noticeAt > now) {
      const month = expiryMonthKey(card.expMonth, card.expYear);
      await planActions(tx, [
        { merchantId: ctx.merchantId, kind: "card_expiry_notice", dueAt: noticeAt, key: actionKeys.cardExpiry(pm!.id, month), paymentMethodId: pm!.id, testClockId: customer.testClockId, payload: { month } },
      ]);
    }
    await recordAudit(tx, ctx, { action: "payment_method.attached", targetType: "payment_method", targetId: pm!.id, data: { customer: customer.id, brand: card.brand, last4: card.last4 }, at: now });
    return pm!;
  });
}
