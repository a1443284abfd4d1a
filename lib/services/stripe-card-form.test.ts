import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { customers, invoices, paymentMethods, subscriptions } from "@/db/schema";
import { configuredGateways } from "@/lib/gateways/configured-gateway";
import { openTestDatabase } from "@/test/support/database";
import { rejection, setupClockCustomer, setupTestMerchant, staffMemberOf } from "@/test/support/merchant";
import { TEST_SECRETS } from "@/test/support/platform";
import { startStripeStandIn, type StripeStandIn } from "@/test/support/stripe-stand-in";
import { addPaymentMethod } from "./add-payment-method";
import { completeCheckout } from "./complete-checkout";
import { fixedClock, type ServiceContext } from "./context";
import { createCheckoutLink } from "./create-checkout-link";
import { createCustomer } from "./create-customer";
import { createPlan } from "./create-plan";
import { createProduct } from "./create-product";
import { createSubscription } from "./create-subscription";
import { cardFormFor } from "./queries/card-form";
import { setStripeCredential } from "./stripe-credentials";
import { updateCardFromLink } from "./update-card-from-link";

/**
 * The card forms of a merchant charging through Stripe (checkout, the card page): which form its pages show, and a
 * card that needs 3-D Secure. Stripe's servers cannot be reached from here, nor can Stripe.js load: the official SDK
 * talks to a local stand-in (test/support/stripe-stand-in.ts), which stands for the Payment Element's PaymentMethod
 * (addCard) and for the customer on the issuer's page (authenticateSetupIntent). The browser's side is e2e/stripe-card-form.spec.ts.
 */
const NOW = new Date("2027-03-01T03:00:00Z");
const SECRET_KEY = "sk_test_51StandInCardFormKey00efgh";
const PUBLISHABLE_KEY = "pk_test_51StandInCardFormKey00ijkl";
const RETURN_URL = "http://localhost:3000/card-fields/stripe-return";

describe("a Stripe merchant's card form", () => {
  let database: Database;
  let standIn: StripeStandIn;
  beforeAll(async () => {
    database = await openTestDatabase();
    standIn = await startStripeStandIn();
  });
  afterAll(async () => {
    await standIn.close();
    await database.close();
  });

  /** A merchant with the gateways a server configures (the sandbox, and Stripe from its keys), its keys as given. */
  async function merchant(keys: { secretKey?: boolean; publishableKey?: boolean } = { secretKey: true, publishableKey: true }) {
    const m = await setupTestMerchant(database, { now: NOW });
    const owner = await staffMemberOf(database, m, "owner", NOW);
    if (keys.secretKey) await setStripeCredential(owner, { name: "secretKey", value: SECRET_KEY });
    if (keys.publishableKey) await setStripeCredential(owner, { name: "publishableKey", value: PUBLISHABLE_KEY });
    const gateways = configuredGateways(database.db, {
      secrets: TEST_SECRETS,
      stripeEnvironment: {},
      stripeConnection: { host: "127.0.0.1", port: standIn.port, protocol: "http", maxNetworkRetries: 0, timeoutMs: 2_000 },
      baseUrl: "http://localhost:3000",
    });
    const ctx: ServiceContext = { ...m.ctx(fixedClock(NOW)), gateways };
    return { ...m, ctx };
  }

  async function plan(ctx: ServiceContext) {
    const product = await createProduct(ctx, { name: "オンライン英会話" });
    return createPlan(ctx, { productId: product.id, amount: 4400, interval: "month" });
  }

  const intentsOf = (paymentMethod: string) => standIn.paymentIntents.filter((pi) => pi.payment_method === paymentMethod);

  describe("cardFormFor", () => {
    it("is the sandbox's hosted fields for a merchant without Stripe, and for a Stripe merchant's test-clock customers", async () => {
      const sandbox = await merchant({});
      expect(await cardFormFor(sandbox.ctx, sandbox.merchantId)).toEqual({ kind: "sandbox" });
      const stripe = await merchant();
      const { customer } = await setupClockCustomer({ ...stripe, ctx: () => stripe.ctx }, { start: NOW, plan: { amount: 1000, interval: "month" } });
      expect(await cardFormFor(stripe.ctx, stripe.merchantId, { customerId: customer.id })).toEqual({ kind: "sandbox" });
    });

    it("is Stripe's Payment Element with the publishable key, for new and existing customers", async () => {
      const m = await merchant();
      expect(await cardFormFor(m.ctx, m.merchantId)).toEqual({ kind: "stripe", publishableKey: PUBLISHABLE_KEY });
      const customer = await createCustomer(m.ctx, { email: "member@example.jp", name: "山田 太郎" });
      expect(await cardFormFor(m.ctx, m.merchantId, { customerId: customer.id })).toEqual({ kind: "stripe", publishableKey: PUBLISHABLE_KEY });
    });

    it("is unavailable for a Stripe merchant without a publishable key: its cards are saved at Stripe, which the sandbox's form cannot reach", async () => {
      const m = await merchant({ secretKey: true });
      expect(await cardFormFor(m.ctx, m.merchantId)).toEqual({ kind: "unavailable" });
    });
  });

  describe("a checkout with a card that needs 3-D Secure", () => {
    const person = { name: "山田 花子", email: "hanako@example.jp", consent: true as const };

    it("asks for the issuer's page returning to our page; authenticated there, the same form sent again signs up: one card, one customer, one charge", async () => {
      const m = await merchant();
      const link = await createCheckoutLink(m.ctx, { planId: (await plan(m.ctx)).id });
      const pm = standIn.addCard("requires_action_on_setup", { last4: "3220" });

      const challenge = await rejection(completeCheckout(m.ctx, { ...person, linkId: link.id, token: pm }));
      expect(challenge.details).toMatchObject({ reason: "authentication_required", actionUrl: expect.stringMatching(/^https:\/\/hooks\.stripe\.test\/3ds\/seti_/), pendingCustomer: expect.any(String) });
      expect(new URL(challenge.details.actionUrl!).searchParams.get("return_url")).toBe(RETURN_URL);
      // Nothing is written while the card waits.
      expect(await database.db.select().from(customers).where(eq(customers.merchantId, m.merchantId))).toEqual([]);

      const setupId = standIn.setupIntents.find((si) => si.payment_method === pm)!.id as string;
      expect(standIn.authenticateSetupIntent(setupId, "succeeded")).toBe(true);
      const done = await completeCheckout(m.ctx, { ...person, linkId: link.id, token: pm, pendingCustomer: challenge.details.pendingCustomer });
      expect(done.status).toBe("active");

      const rows = await database.db.select().from(paymentMethods).where(eq(paymentMethods.merchantId, m.merchantId));
      expect(rows).toEqual([expect.objectContaining({ customerId: done.customerId, gateway: "stripe", last4: "3220", gatewayRef: expect.stringMatching(new RegExp(`/${pm}$`)) })]);
      expect(standIn.setupIntents.filter((si) => si.payment_method === pm)).toHaveLength(1);
      expect(standIn.customers.filter((c) => (c.metadata as Record<string, string>).keizoku_customer === done.customerId)).toHaveLength(1);
      expect(intentsOf(pm).map((pi) => [pi.status, pi.amount])).toEqual([["succeeded", 4400]]);
    });

    it("not authenticated: the customer's message (authentication_failed), nothing written; another card then signs up", async () => {
      const m = await merchant();
      const link = await createCheckoutLink(m.ctx, { planId: (await plan(m.ctx)).id });
      const pm = standIn.addCard("requires_action_on_setup");
      const challenge = await rejection(completeCheckout(m.ctx, { ...person, linkId: link.id, token: pm }));
      standIn.authenticateSetupIntent(standIn.setupIntents.find((si) => si.payment_method === pm)!.id as string, "failed");

      const refused = await rejection(completeCheckout(m.ctx, { ...person, linkId: link.id, token: pm, pendingCustomer: challenge.details.pendingCustomer }));
      expect(refused).toMatchObject({ code: "payment_declined", details: { declineCode: "authentication_failed" } });
      expect(await database.db.select().from(customers).where(eq(customers.merchantId, m.merchantId))).toEqual([]);
      expect(intentsOf(pm)).toEqual([]);

      const done = await completeCheckout(m.ctx, { ...person, linkId: link.id, token: standIn.addCard("succeed"), pendingCustomer: challenge.details.pendingCustomer });
      expect(done.status).toBe("active");
    });

    it("a pending customer of another merchant, or one already signed up, is not taken", async () => {
      const m = await merchant();
      const other = await merchant();
      const link = await createCheckoutLink(m.ctx, { planId: (await plan(m.ctx)).id });
      const challenge = await rejection(completeCheckout(other.ctx, { ...person, linkId: (await createCheckoutLink(other.ctx, { planId: (await plan(other.ctx)).id })).id, token: standIn.addCard("requires_action_on_setup") }));
      const stolen = await rejection(completeCheckout(m.ctx, { ...person, linkId: link.id, token: standIn.addCard("succeed"), pendingCustomer: challenge.details.pendingCustomer }));
      expect(stolen.details).toMatchObject({ param: "continuation", reason: "continuation_expired" });

      const own = await rejection(completeCheckout(m.ctx, { ...person, linkId: link.id, token: standIn.addCard("requires_action_on_setup") }));
      await completeCheckout(m.ctx, { ...person, linkId: link.id, token: standIn.addCard("succeed"), pendingCustomer: own.details.pendingCustomer });
      const again = await rejection(completeCheckout(m.ctx, { ...person, linkId: link.id, token: standIn.addCard("succeed"), pendingCustomer: own.details.pendingCustomer }));
      expect(again.details).toMatchObject({ reason: "continuation_expired" });
    });
  });

  describe("the card page of a contract that owes, with a card that needs 3-D Secure", () => {
    async function owingContract() {
      const m = await merchant();
      const customer = await createCustomer(m.ctx, { email: "owes@example.jp", name: "未払 太郎" });
      const first = await addPaymentMethod(m.ctx, { customerId: customer.id, token: standIn.addCard("insufficient_funds") });
      await rejection(createSubscription(m.ctx, { customerId: customer.id, planId: (await plan(m.ctx)).id, paymentMethodId: first.id }));
      const [sub] = await database.db.select().from(subscriptions).where(eq(subscriptions.customerId, customer.id));
      const [owed] = await database.db.select().from(invoices).where(eq(invoices.subscriptionId, sub!.id));
      return { m, customer, sub: sub!, owed: owed! };
    }

    it("authenticated on the issuer's page, the same card sent again is saved and pays what is owed, once", async () => {
      const { m, customer, sub, owed } = await owingContract();
      const pm = standIn.addCard("requires_action_on_setup", { last4: "1629" });
      const challenge = await rejection(updateCardFromLink(m.ctx, { subscriptionId: sub.id, token: pm }));
      expect(challenge.details).toMatchObject({ reason: "authentication_required" });
      expect(new URL(challenge.details.actionUrl!).searchParams.get("return_url")).toBe(RETURN_URL);
      expect(standIn.authenticateSetupIntent(standIn.setupIntents.find((si) => si.payment_method === pm)!.id as string)).toBe(true);

      const updated = await updateCardFromLink(m.ctx, { subscriptionId: sub.id, token: pm });
      expect(updated).toMatchObject({ card: { last4: "1629" }, status: "active", paid: { invoiceId: owed.id, amount: 4400 } });
      const cards = await database.db.select().from(paymentMethods).where(eq(paymentMethods.customerId, customer.id));
      expect(cards.filter((c) => c.gatewayRef.endsWith(`/${pm}`))).toHaveLength(1);
      expect(intentsOf(pm).map((pi) => [pi.status, pi.amount])).toEqual([["succeeded", 4400]]);
      expect(standIn.setupIntents.filter((si) => si.payment_method === pm)).toHaveLength(1);
    });

    it("not authenticated: authentication_failed, no card saved, nothing charged", async () => {
      const { m, customer, sub } = await owingContract();
      const pm = standIn.addCard("requires_action_on_setup");
      await rejection(updateCardFromLink(m.ctx, { subscriptionId: sub.id, token: pm }));
      standIn.authenticateSetupIntent(standIn.setupIntents.find((si) => si.payment_method === pm)!.id as string, "failed");
      const refused = await rejection(updateCardFromLink(m.ctx, { subscriptionId: sub.id, token: pm }));
      expect(refused).toMatchObject({ code: "payment_declined", details: { declineCode: "authentication_failed" } });
      expect(refused.details.invoiceId).toBeUndefined();
      expect((await database.db.select().from(paymentMethods).where(eq(paymentMethods.customerId, customer.id))).filter((c) => c.gatewayRef.endsWith(`/${pm}`))).toEqual([]);
      expect(intentsOf(pm)).toEqual([]);
    });
  });
});
