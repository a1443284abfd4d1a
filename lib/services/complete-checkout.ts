import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { checkoutLinks, customers, plans } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { newId } from "@/lib/ids";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { customerAddress } from "./create-customer";
import { createSubscription } from "./create-subscription";
import { invalid, notFound, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";
import { insertPaymentMethod, setUpCard } from "./internal/card-setup";

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
});

export type CheckoutCompleted = { subscriptionId: string; customerId: string; status: string; successUrl: string | null };

/**
 * A customer signs up on a merchant's hosted checkout page: the card is saved at the gateway (a card needing 3-D
 * Secure is `payment_declined` with reason `authentication_required` and the challenge's `actionUrl`; answered, the
 * same token is sent again), then the customer and card are written in one transaction and the contract starts as
 * createSubscription starts any contract (its first charge, welcome mail). Nothing is written for a card refused or
 * not yet authenticated, so the customer can try another one. The caller makes a repeated submission of one attempt
 * run once (the checkout page keys it by its attempt id).
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

  const customerId = newId("cus");
  const { gateway, card } = await setUpCard(ctx, { token: data.token, customerId });
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
  const subscription = await createSubscription(ctx, { customerId, planId: link.link.planId, paymentMethodId: paymentMethod.id });
  return { subscriptionId: subscription.id, customerId, status: subscription.status, successUrl: link.link.successUrl };
}
