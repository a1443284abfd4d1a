import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditEvents, invoices, paymentAttempts, stripeCredentials, subscriptions } from "@/db/schema";
import { configuredGateways } from "@/lib/gateways/configured-gateway";
import type { StripeConnection } from "@/lib/gateways/stripe";
import { openTestDatabase } from "@/test/support/database";
import { rejection, setupTestMerchant, staffMemberOf, type TestMerchant } from "@/test/support/merchant";
import { TEST_SECRETS } from "@/test/support/platform";
import { startStripeStandIn, type StripeStandIn } from "@/test/support/stripe-stand-in";
import { addPaymentMethod } from "./add-payment-method";
import { type Clock, fixedClock, type ServiceContext } from "./context";
import { createCustomer } from "./create-customer";
import { createPlan } from "./create-plan";
import { createProduct } from "./create-product";
import { createSubscription } from "./create-subscription";
import { ServiceError } from "./errors";
import { getStripeCredentialsView } from "./queries/stripe-credentials";
import { refundInvoice } from "./refund-invoice";
import { resolveUnansweredAttempts } from "./resolve-unanswered-attempts";
import { retryPayment } from "./retry-payment";
import { clearStripeCredential, setStripeCredential } from "./stripe-credentials";

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
    gateways: configuredGateways(ctx.db, { secrets: TEST_SECRETS, stripeEnvironment: {}, stripeConnection: connection() }),
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
});
