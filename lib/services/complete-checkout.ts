import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { checkoutLinks, customers, plans, subscriptions } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { signLinkToken, verifyLinkToken } from "@/lib/auth/signed-link";
import { newId } from "@/lib/ids";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { customerAddress } from "./create-customer";
import { createSubscription } from "./create-subscription";
import { invalid, notFound, parseInput, ServiceError } from "./errors";
import { recordAudit } from "./internal/audit";
import { insertPaymentMethod, setUpCard } from "./internal/card-setup";
import { updateCardFromLink } from "./update-card-from-link";

// Japanese keyboards type full-width digits, hyphens and spaces; what is stored is what the NFKC form says.
const nfkc = (s: string) => s.normalize("NFKC").trim();

export const completeCheckoutInput = z.object({
  linkId: z.string().min(1),
  /** The one-time token of the gateway's hosted card fields. */
  token: z.string().min(1).max(200),
  name: z.string().transform(nfkc).pipe(z.string().min(1).max(200)),
  email: z.string().transform(nfkc).transform((s) => s.toLowerCase()).pipe(z.email()),
  phone: z
    .string()
    .transform(nfkc)
    .pipe(z.string().regex(/^\+?[\d-]{10,15}$/, "a phone number of 10 or 11 digits"))
    .nullish(),
  address: customerAddress.nullish(),
  /** The mypage password; none: the customer signs in by a link in a mail later. */
  password: z.string().min(8, "at least 8 characters").max(200).nullish(),
  consent: z.literal(true, "consent is required"),
  locale: z.enum(["ja", "en"]).default("ja"),
  /** What a declined first charge answered (details.continuation): this card pays that sign-up's contract. */
  continuation: z.string().min(1).max(2000).nullish(),
  /** What a card waiting for 3-D Secure answered (details.pendingCustomer): the card sent again is this customer's. */
  pendingCustomer: z.string().min(1).max(2000).nullish(),
});

/** Long enough to fetch another card, short enough that an abandoned page cannot be picked up days later. */
const CONTINUATION_MINUTES = 60;

export type CheckoutCompleted = { subscriptionId: string; customerId: string; status: string; successUrl: string | null };

/**
 * A customer signs up on a merchant's hosted checkout page: the card is saved at the gateway (a card needing 3-D
 * Secure is `payment_declined` with reason `authentication_required`, the challenge's `actionUrl` and the
 * `pendingCustomer` to send back; answered, the same token is sent again with it), then the customer and card are
 * written in one transaction and the contract starts as createSubscription starts any contract (its first charge,
 * welcome mail). Nothing is written for a card refused or
 * not yet authenticated, so the customer can try another one. The caller makes a repeated submission of one attempt
 * run once (the checkout page keys it by its attempt id).
 *
 * A card that is saved but whose first charge is declined leaves the contract incomplete with its open invoice
 * (createSubscription): the refusal carries a signed `continuation`, and the customer's next card, sent with it, is
 * saved on the same customer and pays that invoice (updateCardFromLink) — one customer and one contract however many
 * cards it takes, and the details typed again replace the first ones.
 */
export async function completeCheckout(ctx: ServiceContext, input: z.input<typeof completeCheckoutInput>): Promise<CheckoutCompleted> {
  const data = parseInput(completeCheckoutInput, input);
  authorize(ctx.actor, "contracts.operate");
  const [link] = await ctx.db
    .select({ link: checkoutLinks, planActive: plans.active })
    .from(checkoutLinks)
    .innerJoin(plans, eq(plans.id, checkoutLinks.planId))
    .where(and(eq(checkoutLinks.id, data.linkId), eq(checkoutLinks.merchantId, ctx.merchantId)));
  if (!link || !link.link.active || !link.planActive) throw notFound("checkout link", data.linkId, "link");
  const { collect } = link.link;
  if (collect.address && !data.address) throw invalid("address: required on this checkout", "address", "required");
  if (collect.phone && !data.phone) throw invalid("phone: required on this checkout", "phone", "required");

  if (data.continuation) return continueDeclinedSignUp(ctx, data, link.link);

  const customerId = data.pendingCustomer ? await pendingCustomerOf(ctx, data.pendingCustomer) : newId("cus");
  const { gateway, card } = await setUpCard(ctx, { token: data.token, customer: { id: customerId, email: data.email, name: data.name, testClockId: null } }).catch(async (error: unknown) => {
    throw await withPendingCustomer(ctx, error, customerId);
  });
  const passwordHash = data.password ? await hashPassword(data.password) : null;
  const paymentMethod = await ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    await tx.insert(customers).values({
      id: customerId,
      merchantId: ctx.merchantId,
      email: data.email,
      name: data.name,
      phone: collect.phone ? (data.phone ?? null) : null,
      address: collect.address ? (data.address ?? null) : null,
      locale: data.locale,
      passwordHash,
      createdAt: now,
    });
    await recordAudit(tx, ctx, { action: "customer.created", targetType: "customer", targetId: customerId, data: { checkoutLink: data.linkId }, at: now });
    return insertPaymentMethod(tx, ctx, { customerId, testClockId: null, gateway, card, makeDefault: true, now });
  });
  const subscription = await createSubscription(ctx, { customerId, planId: link.link.planId, paymentMethodId: paymentMethod.id }).catch(async (error: unknown) => {
    throw await withContinuation(ctx, error);
  });
  return { subscriptionId: subscription.id, customerId, status: subscription.status, successUrl: link.link.successUrl };
}

type CheckoutInput = z.output<typeof completeCheckoutInput>;
type CheckoutLink = typeof checkoutLinks.$inferSelect;

async function continueDeclinedSignUp(ctx: ServiceContext, data: CheckoutInput, link: CheckoutLink): Promise<CheckoutCompleted> {
  const verified = await verifyLinkToken(ctx.links.secret, "checkout_continuation", data.continuation!, ctx.clock.now());
  const expired = () => invalid("continuation: this sign-up can no longer be continued; start again", "continuation", "continuation_expired");
  if (!verified.ok || verified.merchantId !== ctx.merchantId) throw expired();
  const [sub] = await ctx.db.select().from(subscriptions).where(and(eq(subscriptions.id, verified.subject), eq(subscriptions.merchantId, ctx.merchantId)));
  if (!sub || sub.planId !== link.planId) throw expired();
  const done = (status: string) => ({ subscriptionId: sub.id, customerId: sub.customerId, status, successUrl: link.successUrl });
  // Paid by an earlier answer the page never got (a lost response): the sign-up is done, and this card is not needed.
  if (sub.status !== "incomplete") {
    if (sub.status === "active" || sub.status === "trialing") return done(sub.status);
    throw expired();
  }
  const passwordHash = data.password ? await hashPassword(data.password) : undefined;
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(customers)
      .set({
        email: data.email,
        name: data.name,
        phone: link.collect.phone ? (data.phone ?? null) : null,
        address: link.collect.address ? (data.address ?? null) : null,
        locale: data.locale,
        ...(passwordHash ? { passwordHash } : {}),
      })
      .where(and(eq(customers.id, sub.customerId), eq(customers.merchantId, ctx.merchantId)));
    await recordAudit(tx, ctx, { action: "customer.profile_updated", targetType: "customer", targetId: sub.customerId, data: { checkoutLink: link.id }, at: ctx.clock.now() });
  });
  const updated = await updateCardFromLink(ctx, { subscriptionId: sub.id, token: data.token }).catch(async (error: unknown) => {
    throw await withContinuation(ctx, error);
  });
  return done(updated.status);
}

/**
 * A card that waits for 3-D Secure is set up for a customer whose row is written only once the card is saved: the
 * refusal carries that customer's id, signed, so that the card sent again after the challenge is set up for the same
 * customer — at Stripe the same Customer, whose setup of that card replays and reads what the challenge made of it.
 */
async function withPendingCustomer(ctx: ServiceContext, error: unknown, customerId: string): Promise<unknown> {
  if (!(error instanceof ServiceError) || error.code !== "payment_declined" || error.details.reason !== "authentication_required") return error;
  const expiresAt = new Date(ctx.clock.now().getTime() + CONTINUATION_MINUTES * 60_000);
  const pendingCustomer = await signLinkToken(ctx.links.secret, { purpose: "checkout_customer", subject: customerId, merchantId: ctx.merchantId, expiresAt });
  return new ServiceError(error.code, error.message, { ...error.details, pendingCustomer });
}

/** The customer a pendingCustomer token names; one already written (its sign-up done) or a token gone stale starts over. */
async function pendingCustomerOf(ctx: ServiceContext, token: string): Promise<string> {
  const verified = await verifyLinkToken(ctx.links.secret, "checkout_customer", token, ctx.clock.now());
  const expired = () => invalid("continuation: this sign-up can no longer be continued; start again", "continuation", "continuation_expired");
  if (!verified.ok || verified.merchantId !== ctx.merchantId) throw expired();
  const [written] = await ctx.db.select({ id: customers.id }).from(customers).where(eq(customers.id, verified.subject));
  if (written) throw expired();
  return verified.subject;
}

/** A first charge declined on a saved card: the refusal says how to continue that sign-up with another card. */
async function withContinuation(ctx: ServiceContext, error: unknown): Promise<unknown> {
  if (!(error instanceof ServiceError) || error.code !== "payment_declined" || !error.details.subscriptionId) return error;
  const expiresAt = new Date(ctx.clock.now().getTime() + CONTINUATION_MINUTES * 60_000);
  const continuation = await signLinkToken(ctx.links.secret, { purpose: "checkout_continuation", subject: error.details.subscriptionId, merchantId: ctx.merchantId, expiresAt });
  return new ServiceError(error.code, error.message, { ...error.details, continuation });
}
