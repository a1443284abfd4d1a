import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { customers, paymentMethods } from "@/db/schema";
import { cardExpiryNoticeAt, expiryMonthKey } from "@/lib/billing/card-expiry";
import { declineKind } from "@/lib/billing/decline";
import { actionKeys } from "@/lib/billing/scheduled-action";
import { CardAttachError, type PaymentGateway, type SavedCard } from "@/lib/gateways/payment-gateway";
import { newId } from "@/lib/ids";
import type { ServiceContext } from "../context";
import { ServiceError } from "../errors";
import { merchantTimeZone } from "../merchant-settings";
import { recordAudit } from "./audit";
import { planActions } from "./scheduled-actions";

/** Whom a card is set up for (a checkout's customer has no row yet); test-clock customers use the sandbox's test cards. */
export type CardOwner = { id: string; email: string; name: string; testClockId: string | null };

/** Where a customer's new card is saved: the merchant's primary gateway (its Stripe account when it has one), the sandbox for customers on a test clock. */
export async function newCardGateway(ctx: Pick<ServiceContext, "gateways" | "merchantId">, testClockId: string | null): Promise<PaymentGateway> {
  return testClockId ? ctx.gateways.primary : (await ctx.gateways.forMerchant(ctx.merchantId)).primary;
}

/**
 * Saves a card from its card form's one-time token at the merchant's primary gateway (its Stripe account when it has
 * one; the sandbox for customers on a test clock), after making the gateway's own customer where it keeps them. A card the issuer refuses is
 * payment_declined; one that needs the customer to authenticate first (3-D Secure) is too, with reason
 * `authentication_required` and the gateway's `actionUrl` (its challenge page): once the customer has answered
 * there, the same token is set up again.
 */
export async function setUpCard(ctx: ServiceContext, input: { token: string; customer: CardOwner }): Promise<{ gateway: string; card: SavedCard }> {
  const { customer } = input;
  const gateway = await newCardGateway(ctx, customer.testClockId);
  let setup;
  try {
    const customerId = gateway.customers ? await gateway.customers.ensure({ id: customer.id, email: customer.email, name: customer.name }) : customer.id;
    setup = await gateway.setupCard({ token: input.token, customerId });
  } catch (error) {
    if (error instanceof CardAttachError) {
      // A card the issuer refuses is a decline; a token that is unknown or already used is the caller's mistake.
      if (error.declineCode === "token_not_found" || error.declineCode === "token_already_used") throw new ServiceError("invalid", error.message, { param: "token", reason: error.declineCode });
      throw new ServiceError("payment_declined", error.message, { param: "token", declineCode: error.declineCode, declineKind: declineKind(error.declineCode) });
    }
    throw error;
  }
  if (setup.status === "requires_action") {
    throw new ServiceError("payment_declined", "The card needs the customer to authenticate (3-D Secure) before it can be saved", {
      param: "token",
      reason: "authentication_required",
      declineCode: "authentication_required",
      actionUrl: setup.actionUrl,
    });
  }
  return { gateway: gateway.name, card: setup.card };
}

/** Writes a card set up at the gateway as the customer's, and plans its expiry notice for the 1st of the month it expires. */
export async function insertPaymentMethod(
  tx: Db,
  ctx: ServiceContext,
  input: { customerId: string; testClockId: string | null; gateway: string; card: SavedCard; makeDefault: boolean; now: Date },
) {
  const { card, now } = input;
  const timeZone = await merchantTimeZone(tx, ctx.merchantId);
  const [pm] = await tx
    .insert(paymentMethods)
    .values({ id: newId("pm"), merchantId: ctx.merchantId, customerId: input.customerId, gateway: input.gateway, ...card, createdAt: now })
    .returning();
  if (input.makeDefault) await tx.update(customers).set({ defaultPaymentMethodId: pm!.id }).where(eq(customers.id, input.customerId));
  const noticeAt = cardExpiryNoticeAt(card.expMonth, card.expYear, timeZone);
  if (noticeAt > now) {
    const month = expiryMonthKey(card.expMonth, card.expYear);
    await planActions(tx, [
      { merchantId: ctx.merchantId, kind: "card_expiry_notice", dueAt: noticeAt, key: actionKeys.cardExpiry(pm!.id, month), paymentMethodId: pm!.id, testClockId: input.testClockId, payload: { month } },
    ]);
  }
  await recordAudit(tx, ctx, { action: "payment_method.attached", targetType: "payment_method", targetId: pm!.id, data: { customer: input.customerId, brand: card.brand, last4: card.last4 }, at: now });
  return pm!;
}
