import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditEvents, customers, invoices, paymentAttempts, paymentMethods, stripeCredentials, subscriptions } from "@/db/schema";
import { configuredGateways } from "@/lib/gateways/configured-gateway";
import type { StripeConnection } from "@/lib/gateways/stripe";
import { openTestDatabase } from "@/test/support/database";
import { rejection, setupClockCustomer, setupTestMerchant, staffMemberOf, type TestMerchant } from "@/test/support/merchant";
import { TEST_SECRETS } from "@/test/support/platform";
import { startStripeStandIn, type StripeStandIn } from "@/test/support/stripe-stand-in";
import { addPaymentMethod } from "./add-payment-method";
import { completeCheckout } from "./complete-checkout";
import { type Clock, fixedClock, type ServiceContext } from "./context";
import { createCheckoutLink } from "./create-checkout-link";
import { createCustomer } from "./create-customer";
import { createPlan } from "./create-plan";
import { createProduct } from "./create-product";
import { createSubscription } from "./create-subscription";
import { ServiceError } from "./errors";
import { cardFormFor } from "./queries/card-form";
import { getStripeCredentialsView } from "./queries/stripe-credentials";
import { refundInvoice } from "./refund-invoice";
import { resolveUnansweredAttempts } from "./resolve-unanswered-attempts";
import { retryPayment } from "./retry-payment";
import { clearStripeCredential, setStripeCredential } from "./stripe-credentials";
import { updateCardFromLink } from "./update-card-from-link";

// Stripe's servers cannot be reached from here: the official SDK talks to a local stand-in (test/support/stripe-stand-in.ts).
const NOW = new Date("2027-03-01T03:00:00Z");
const SECRET_KEY = "sk_test_51StandInSecretKey0000abcd";

describe("a merchant charging through its own Stripe account", () => {
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

  const connection = (): StripeConnection => ({ host: "127.0.0.1", port: standIn.port, protocol: "http", maxNetworkRetries: 0, timeoutMs: 700 });
  /** The merchant's context with the gateways a server configures (the sandbox, and Stripe from the merchant's keys). */
  const withStripe = (ctx: ServiceContext, clock: Clock = fixedClock(NOW)): ServiceContext => ({
    ...ctx,
    clock,
    gateways: configuredGateways(ctx.db, { secrets: TEST_SECRETS, stripeEnvironment: {}, stripeConnection: connection(), baseUrl: "http://localhost:3000" }),
  });

  async function stripeMerchant(): Promise<TestMerchant & { stripe: (clock?: Clock) => ServiceContext }> {
    const m = await setupTestMerchant(database, { now: NOW });
    const owner = await staffMemberOf(database, m, "owner", NOW);
    await setStripeCredential(owner, { name: "secretKey", value: SECRET_KEY });
    return { ...m, stripe: (clock) => withStripe(m.ctx(fixedClock(NOW)), clock) };
  }

  async function customerWithCard(ctx: ServiceContext, behavior: Parameters<StripeStandIn["addCard"]>[0] = "succeed") {
    const customer = await createCustomer(ctx, { email: `member-${behavior}@example.jp`, name: "山田 太郎" });
    const paymentMethod = await addPaymentMethod(ctx, { customerId: customer.id, token: standIn.addCard(behavior, { last4: "4444" }) });
    const product = await createProduct(ctx, { name: "オンライン講座" });
    const plan = await createPlan(ctx, { productId: product.id, amount: 3000, interval: "month" });
    return { customer, paymentMethod, plan };
  }

  describe("its keys", () => {
    it("are kept sealed: the table holds no key, the page and the audit log only the last 4", async () => {
      const m = await setupTestMerchant(database, { now: NOW });
      const owner = await staffMemberOf(database, m, "owner", NOW);
      await setStripeCredential(owner, { name: "secretKey", value: SECRET_KEY });
      await setStripeCredential(owner, { name: "webhookSecret", value: "whsec_StandInSigningSecret99" });
      const [row] = await database.db.select().from(stripeCredentials).where(eq(stripeCredentials.merchantId, m.merchantId));
      const stored = JSON.stringify(row);
      expect(stored).not.toContain("StandInSecretKey");
      expect(stored).not.toContain("StandInSigningSecret");
      expect(row!.secretKey).toMatch(new RegExp(`^kz1\\.${TEST_SECRETS.keyId}\\.`));
      expect(await getStripeCredentialsView(owner)).toEqual({ secretKey: { last4: "abcd" }, publishableKey: null, webhookSecret: { last4: "et99" } });

      const audits = await database.db.select().from(auditEvents).where(and(eq(auditEvents.merchantId, m.merchantId), eq(auditEvents.action, "stripe_credential.set")));
      expect(audits.map((a) => a.data)).toEqual(expect.arrayContaining([{ credential: "secretKey", last4: "abcd" }, { credential: "webhookSecret", last4: "et99" }]));
      expect(JSON.stringify(audits)).not.toContain("StandInSecretKey");

      expect(await clearStripeCredential(owner, { name: "webhookSecret" })).toEqual({ name: "webhookSecret", cleared: true });
      expect((await getStripeCredentialsView(owner)).webhookSecret).toBeNull();
      expect(await clearStripeCredential(owner, { name: "webhookSecret" })).toEqual({ name: "webhookSecret", cleared: false });
      const cleared = await database.db.select().from(auditEvents).where(and(eq(auditEvents.merchantId, m.merchantId), eq(auditEvents.action, "stripe_credential.cleared")));
      expect(cleared.map((a) => a.data)).toEqual([{ credential: "webhookSecret" }]);
    });

    it("are refused when they do not look like Stripe's, and nothing changes", async () => {
      const m = await setupTestMerchant(database, { now: NOW });
      const owner = await staffMemberOf(database, m, "owner", NOW);
      const error = await rejection(setStripeCredential(owner, { name: "secretKey", value: "pk_test_thisIsAPublishableKey" }));
      expect(error).toMatchObject({ code: "invalid", details: { param: "value" } });
      expect(await rejection(setStripeCredential(owner, { name: "nope" as "secretKey", value: SECRET_KEY }))).toMatchObject({ code: "invalid" });
      expect(await getStripeCredentialsView(owner)).toEqual({ secretKey: null, publishableKey: null, webhookSecret: null });
    });

    it("are set and cleared by owners and admins only", async () => {
      const m = await setupTestMerchant(database, { now: NOW });
      for (const role of ["operator", "viewer"] as const) {
        const staff = await staffMemberOf(database, m, role, NOW);
        expect(await rejection(setStripeCredential(staff, { name: "secretKey", value: SECRET_KEY }))).toMatchObject({ code: "forbidden" });
        expect(await rejection(clearStripeCredential(staff, { name: "secretKey" }))).toMatchObject({ code: "forbidden" });
      }
      const admin = await staffMemberOf(database, m, "admin", NOW);
      await setStripeCredential(admin, { name: "publishableKey", value: "pk_test_51StandInPublishable9876" });
      expect((await getStripeCredentialsView(admin)).publishableKey).toEqual({ last4: "9876" });
    });
  });

  it("saves new cards at Stripe once the merchant has keys (the sandbox before), and charges them there", async () => {
    const m = await setupTestMerchant(database, { now: NOW });
    const sandboxCustomer = await createCustomer(m.ctx(), { email: "before@example.jp", name: "以前 の客" });
    const token = await m.gateway.testControls.createToken({ number: "4242424242424242", expMonth: 12, expYear: 2035, cvc: "123" }, NOW);
    const before = await addPaymentMethod(withStripe(m.ctx()), { customerId: sandboxCustomer.id, token: token.id });
    expect(before.gateway).toBe("sandbox");

    await setStripeCredential(await staffMemberOf(database, m, "owner", NOW), { name: "secretKey", value: SECRET_KEY });
    const ctx = withStripe(m.ctx());
    const { customer, paymentMethod, plan } = await customerWithCard(ctx);
    expect(paymentMethod).toMatchObject({ gateway: "stripe", brand: "visa", last4: "4444", gatewayRef: expect.stringMatching(/^cus_standin\d+\/pm_standin\d+$/) });
    expect(standIn.customers.filter((c) => (c.metadata as Record<string, string>).keizoku_customer === customer.id)).toHaveLength(1);

    const subscription = await createSubscription(ctx, { customerId: customer.id, planId: plan.id });
    expect(subscription.status).toBe("active");
    const [attempt] = await database.db.select().from(paymentAttempts).innerJoin(invoices, eq(invoices.id, paymentAttempts.invoiceId)).where(eq(invoices.subscriptionId, subscription.id));
    const pi = standIn.paymentIntents.find((p) => p.id === attempt!.payment_attempts.gatewayChargeId)!;
    expect(pi).toMatchObject({
      amount: 3000,
      currency: "jpy",
      metadata: { keizoku_attempt: attempt!.payment_attempts.id, keizoku_invoice: attempt!.invoices.id, keizoku_merchant: m.merchantId, keizoku_idempotency_key: attempt!.payment_attempts.idempotencyKey },
    });

    // The sandbox card saved before still charges at the sandbox.
    const other = await createSubscription(ctx, { customerId: sandboxCustomer.id, planId: plan.id });
    expect(other.status).toBe("active");
  });

  it("refunds a Stripe payment at Stripe", async () => {
    const m = await stripeMerchant();
    const { customer, plan } = await customerWithCard(m.stripe());
    const subscription = await createSubscription(m.stripe(), { customerId: customer.id, planId: plan.id });
    const [invoice] = await database.db.select().from(invoices).where(eq(invoices.subscriptionId, subscription.id));
    const refund = await refundInvoice(m.stripe(), { invoiceId: invoice!.id, amount: 1000, reason: "一部返金" });
    expect(refund).toMatchObject({ status: "succeeded", amount: 1000 });
    const [attempt] = await database.db.select().from(paymentAttempts).where(eq(paymentAttempts.invoiceId, invoice!.id));
    expect(standIn.refunds.filter((r) => r.payment_intent === attempt!.gatewayChargeId).map((r) => r.amount)).toEqual([1000]);
  });

  it("declines: a hard decline asks for a new card, authentication_required comes back as itself", async () => {
    const m = await stripeMerchant();
    const expired = await customerWithCard(m.stripe(), "expired_card");
    const hard = await rejection(createSubscription(m.stripe(), { customerId: expired.customer.id, planId: expired.plan.id }));
    expect(hard.details).toMatchObject({ declineCode: "expired_card", declineKind: "hard" });
    const sca = await customerWithCard(m.stripe(), "authentication_required");
    const needsCustomer = await rejection(createSubscription(m.stripe(), { customerId: sca.customer.id, planId: sca.plan.id }));
    expect(needsCustomer.details).toMatchObject({ declineCode: "authentication_required" });
  });

  describe("an attempt whose answer never came (timeout)", () => {
    async function timedOutSignUp() {
      const m = await stripeMerchant();
      const { customer, plan } = await customerWithCard(m.stripe());
      standIn.delayNextCharges(1, 1_500);
      const error = await createSubscription(m.stripe(), { customerId: customer.id, planId: plan.id }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceError);
      expect((error as ServiceError).details.reason).toBe("gateway_unavailable");
      const [sub] = await database.db.select().from(subscriptions).where(eq(subscriptions.customerId, customer.id));
      const [attempt] = await database.db.select().from(paymentAttempts).innerJoin(invoices, eq(invoices.id, paymentAttempts.invoiceId)).where(eq(invoices.subscriptionId, sub!.id));
      expect(attempt!.payment_attempts.status).toBe("pending");
      // Stripe made the charge; its answer was lost. A day later Stripe has forgotten the key: a blind replay would charge again.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      standIn.forgetIdempotencyKeys();
      return { m, sub: sub!, key: attempt!.payment_attempts.idempotencyKey };
    }
    const chargesFor = (key: string) => standIn.paymentIntents.filter((p) => (p.metadata as Record<string, string>).keizoku_idempotency_key === key);

    it("is asked about at Stripe by the janitor and recorded: exactly one charge, the contract active", async () => {
      const { m, sub, key } = await timedOutSignUp();
      // Not yet: the attempt's own call may still be on its way.
      expect(await resolveUnansweredAttempts(m.stripe(fixedClock(new Date())))).toMatchObject({ settled: 0 });
      const later = fixedClock(new Date(Date.now() + 10 * 60_000));
      const counts = await resolveUnansweredAttempts(m.stripe(later));
      expect(counts).toMatchObject({ settled: 1 });
      const [attempt] = await database.db.select().from(paymentAttempts).where(eq(paymentAttempts.idempotencyKey, key));
      expect(attempt).toMatchObject({ status: "succeeded", gatewayChargeId: chargesFor(key)[0]!.id });
      const [after] = await database.db.select().from(subscriptions).where(eq(subscriptions.id, sub.id));
      expect(after!.status).toBe("active");
      // Asked again, nothing changes; a retry finds the invoice paid.
      expect(await resolveUnansweredAttempts(m.stripe(later))).toMatchObject({ asked: 0, settled: 0 });
      expect(chargesFor(key)).toHaveLength(1);
    });

    it("is looked up, not charged again, when collected again before the janitor ran", async () => {
      const { m, sub, key } = await timedOutSignUp();
      const { payment } = await retryPayment(m.stripe(), { subscriptionId: sub.id });
      expect(payment?.status).toBe("paid");
      expect(chargesFor(key)).toHaveLength(1);
      expect(standIn.requests.filter((r) => r.path === "/v1/payment_intents" && r.idempotencyKey === key)).toHaveLength(1);
    });
  });

  /**
   * The card forms (checkout, the card page): which form a merchant's pages show, and a card that needs 3-D Secure.
   * Stripe.js cannot load here either: the stand-in stands for the Payment Element's PaymentMethod (addCard) and for
   * the customer on the issuer's page (authenticateSetupIntent). The browser's side is e2e/stripe-card-form.spec.ts.
   */
  describe("its card form", () => {
    const PUBLISHABLE_KEY = "pk_test_51StandInCardFormKey00ijkl";
    const RETURN_URL = "http://localhost:3000/card-fields/stripe-return";

    /** A merchant with these Stripe keys (none: the sandbox), with the gateways a server configures. */
    async function merchant(keys: { secretKey?: boolean; publishableKey?: boolean } = { secretKey: true, publishableKey: true }) {
      const m = await setupTestMerchant(database, { now: NOW });
      const owner = await staffMemberOf(database, m, "owner", NOW);
      if (keys.secretKey) await setStripeCredential(owner, { name: "secretKey", value: SECRET_KEY });
      if (keys.publishableKey) await setStripeCredential(owner, { name: "publishableKey", value: PUBLISHABLE_KEY });
      return { ...m, ctx: withStripe(m.ctx(fixedClock(NOW))) };
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
});
