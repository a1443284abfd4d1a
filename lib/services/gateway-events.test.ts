import { and, asc, eq } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditEvents, disputes, gatewayEvents, invoices, mails, paymentAttempts, paymentMethods, refunds, scheduledActions, staffUsers, subscriptions, webhookEvents } from "@/db/schema";
import { configuredGateways } from "@/lib/gateways/configured-gateway";
import type { StripeConnection } from "@/lib/gateways/stripe";
import { renderMail } from "@/lib/mail/render-mail";
import { handleGatewayWebhook } from "@/lib/webhooks/gateway-webhook-route";
import { openIsolatedTestDatabase } from "@/test/support/inngest";
import { rejection, setupTestMerchant, staffMemberOf, type TestMerchant } from "@/test/support/merchant";
import { TEST_SECRETS, testPlatform } from "@/test/support/platform";
import { startStripeStandIn, type StripeStandIn } from "@/test/support/stripe-stand-in";
import { addPaymentMethod } from "./add-payment-method";
import { completePaymentAuthentication, startPaymentAuthentication } from "./complete-payment-authentication";
import { type Clock, fixedClock, type Platform, type ServiceContext } from "./context";
import { endUserContext } from "./contexts";
import { createCustomer } from "./create-customer";
import { createPlan } from "./create-plan";
import { createProduct } from "./create-product";
import { createStaffUser } from "./create-staff-user";
import { createSubscription } from "./create-subscription";
import { processGatewayEvents, reprocessGatewayEvent } from "./process-gateway-events";
import { receiveGatewayWebhook } from "./receive-gateway-webhook";
import { refundInvoice } from "./refund-invoice";
import { resolveUnansweredAttempts } from "./resolve-unanswered-attempts";
import { runDueActions } from "./run-due-actions";
import { setStripeCredential } from "./stripe-credentials";

// Stripe's servers cannot be reached from here: charges go through the official SDK to a local stand-in
// (test/support/stripe-stand-in.ts), and Stripe's webhooks are built here and signed with the SDK's own
// generateTestHeaderString, as Stripe signs them.
const NOW = new Date("2027-03-01T03:00:00Z");
const SECRET_KEY = "sk_test_51StandInSecretKey0000abcd";
const SIGNING_SECRET = "whsec_StandInSigningSecretForEvents01";

describe("Stripe's webhooks, received and processed", () => {
  let database: Database;
  let standIn: StripeStandIn;
  let seq = 0;
  beforeAll(async () => {
    // Processing passes take every merchant's events: on PostgreSQL, where test files share a database, a file of its own.
    database = await openIsolatedTestDatabase();
    standIn = await startStripeStandIn();
  });
  afterAll(async () => {
    await standIn.close();
    await database.close();
  });

  const connection = (timeoutMs = 700): StripeConnection => ({ host: "127.0.0.1", port: standIn.port, protocol: "http", maxNetworkRetries: 0, timeoutMs });
  const withStripe = <C extends Platform>(ctx: C, clock: Clock = fixedClock(NOW), timeoutMs?: number): C => ({
    ...ctx,
    clock,
    gateways: configuredGateways(ctx.db, { secrets: TEST_SECRETS, stripeEnvironment: {}, stripeConnection: connection(timeoutMs) }),
  });

  type StripeMerchant = TestMerchant & { stripe: (clock?: Clock, timeoutMs?: number) => ServiceContext; owner: ServiceContext };
  async function stripeMerchant(options: { signingSecret?: boolean } = {}): Promise<StripeMerchant> {
    const m = await setupTestMerchant(database, { now: NOW });
    const owner = await staffMemberOf(database, m, "owner", NOW);
    await setStripeCredential(owner, { name: "secretKey", value: SECRET_KEY });
    if (options.signingSecret !== false) await setStripeCredential(owner, { name: "webhookSecret", value: SIGNING_SECRET });
    return { ...m, owner, stripe: (clock, timeoutMs) => withStripe(m.ctx(fixedClock(NOW)), clock, timeoutMs) };
  }

  async function customerWithCard(ctx: ServiceContext, behavior: Parameters<StripeStandIn["addCard"]>[0] = "succeed") {
    const customer = await createCustomer(ctx, { email: `member-${++seq}@example.jp`, name: "山田 太郎" });
    const paymentMethod = await addPaymentMethod(ctx, { customerId: customer.id, token: standIn.addCard(behavior, { last4: "4444", expMonth: 4, expYear: 2029 }) });
    const product = await createProduct(ctx, { name: "オンライン講座" });
    const plan = await createPlan(ctx, { productId: product.id, amount: 3000, interval: "month" });
    return { customer, paymentMethod, plan };
  }

  /** A Stripe event as Stripe posts it, and the Stripe-Signature header it comes with. */
  function stripeEvent(type: string, object: Record<string, unknown>, options: { id?: string; created?: number; secret?: string; timestamp?: number } = {}) {
    const event = { id: options.id ?? `evt_test_${++seq}`, object: "event", api_version: "2025-01-27.acacia", type, created: options.created ?? Math.floor(NOW.getTime() / 1000) + seq, livemode: false, data: { object } };
    const body = JSON.stringify(event);
    return { event, body, signature: Stripe.webhooks.generateTestHeaderString({ payload: body, secret: options.secret ?? SIGNING_SECRET, timestamp: options.timestamp }) };
  }

  /** POSTs it to the route's handler, as Stripe would. */
  async function post(m: { merchantId: string; stripe: () => ServiceContext }, posted: { body: string; signature: string | null }): Promise<Response> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (posted.signature) headers["stripe-signature"] = posted.signature;
    const request = new Request(`http://localhost/api/webhooks/stripe/${m.merchantId}`, { method: "POST", body: posted.body, headers });
    return handleGatewayWebhook(request, m.stripe(), "stripe", m.merchantId);
  }

  const processAll = (clock: Clock = fixedClock(NOW)) => processGatewayEvents(withStripe(testPlatform(database.db, { clock }), clock), { limit: 50, leaseSeconds: 60 });
  // Each test counts what its own passes take: what earlier tests left due is processed first.
  beforeEach(async () => {
    while ((await processAll()).claimed === 50);
  });
  const storedEvent = async (merchantId: string, eventId: string) =>
    (await database.db.select().from(gatewayEvents).where(and(eq(gatewayEvents.merchantId, merchantId), eq(gatewayEvents.eventId, eventId))))[0];

  async function paidContract(m: StripeMerchant) {
    const { customer, plan, paymentMethod } = await customerWithCard(m.stripe());
    const subscription = await createSubscription(m.stripe(), { customerId: customer.id, planId: plan.id });
    const [attempt] = await database.db.select().from(paymentAttempts).innerJoin(invoices, eq(invoices.id, paymentAttempts.invoiceId)).where(eq(invoices.subscriptionId, subscription.id));
    const pi = standIn.paymentIntents.find((p) => p.id === attempt!.payment_attempts.gatewayChargeId)!;
    return { subscription, invoiceId: attempt!.invoices.id, pi, customer, paymentMethod };
  }

  describe("intake", () => {
    it("stores a verified event once, whatever the number of deliveries, and answers 200 each time", async () => {
      const m = await stripeMerchant();
      const posted = stripeEvent("customer.created", { id: "cus_elsewhere", object: "customer" });
      const first = await post(m, posted);
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ received: true, duplicate: false });
      const again = await post(m, posted);
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ received: true, duplicate: true });
      const rows = await database.db.select().from(gatewayEvents).where(eq(gatewayEvents.merchantId, m.merchantId));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ gateway: "stripe", eventId: posted.event.id, type: "customer.created", objectId: "cus_elsewhere", livemode: "test", status: "pending", attempts: 0, receivedAt: NOW });
      expect(rows[0]!.occurredAt).toEqual(new Date(posted.event.created * 1000));
    });

    it("refuses forged, re-signed, changed, unsigned and stale events with a 400, and stores none of them", async () => {
      const m = await stripeMerchant();
      const good = stripeEvent("payment_intent.succeeded", { id: "pi_x", object: "payment_intent" });
      const cases = [
        { body: good.body, signature: good.signature.replace(/v1=[0-9a-f]{6}/, "v1=000000") },
        { body: good.body, signature: stripeEvent("payment_intent.succeeded", {}, { secret: "whsec_someoneElsesSecret" }).signature.replace(/t=\d+/, good.signature.match(/t=\d+/)![0]) },
        { body: good.body.replace("pi_x", "pi_y"), signature: good.signature },
        { body: good.body, signature: null },
        stripeEvent("payment_intent.succeeded", { id: "pi_x" }, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
      ];
      for (const forged of cases) {
        const response = await post(m, forged);
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ error: "bad_signature" });
      }
      expect(await database.db.select().from(gatewayEvents).where(eq(gatewayEvents.merchantId, m.merchantId))).toEqual([]);
      // 299 s old is inside Stripe's window.
      expect((await post(m, stripeEvent("payment_intent.succeeded", { id: "pi_x" }, { timestamp: Math.floor(Date.now() / 1000) - 299 }))).status).toBe(200);
    });

    it("answers 404 for an unknown merchant, and for a merchant without a Stripe account or signing secret", async () => {
      const m = await stripeMerchant();
      const posted = stripeEvent("charge.refunded", { id: "ch_1" });
      const unknown = await handleGatewayWebhook(new Request("http://localhost/x", { method: "POST", body: posted.body, headers: { "stripe-signature": posted.signature } }), m.stripe(), "stripe", "mer_0190aaaaaaaaaaaaaaaaaaaaaaaaaaaa");
      expect(unknown.status).toBe(404);
      const garbage = await handleGatewayWebhook(new Request("http://localhost/x", { method: "POST", body: posted.body, headers: { "stripe-signature": posted.signature } }), m.stripe(), "stripe", "../etc");
      expect(garbage.status).toBe(404);

      const noSecret = await stripeMerchant({ signingSecret: false });
      const missing = await post(noSecret, posted);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ error: "webhook_secret_missing" });

      const sandboxOnly = await setupTestMerchant(database, { now: NOW });
      const none = await post({ merchantId: sandboxOnly.merchantId, stripe: () => withStripe(sandboxOnly.ctx()) }, posted);
      expect(none.status).toBe(404);
      expect(await none.json()).toMatchObject({ error: "gateway_not_configured" });
      expect(await database.db.select().from(gatewayEvents).where(eq(gatewayEvents.eventId, posted.event.id))).toEqual([]);
    });

    it("takes a new signing secret at once, and refuses the old one from then on", async () => {
      const m = await stripeMerchant();
      expect((await post(m, stripeEvent("customer.created", { id: "cus_1" }))).status).toBe(200);
      const rotated = "whsec_RotatedSigningSecretForEvents02";
      await setStripeCredential(m.owner, { name: "webhookSecret", value: rotated });
      expect((await post(m, stripeEvent("customer.created", { id: "cus_2" }, { secret: rotated }))).status).toBe(200);
      expect((await post(m, stripeEvent("customer.created", { id: "cus_3" }))).status).toBe(400);
    });

    it("keeps each merchant's events apart: the same event id at two merchants is two rows, each verified with its own secret", async () => {
      const a = await stripeMerchant();
      const b = await stripeMerchant();
      const posted = stripeEvent("customer.created", { id: "cus_shared" }, { id: "evt_same_id" });
      expect((await post(a, posted)).status).toBe(200);
      expect((await post(b, posted)).status).toBe(200);
      expect(await storedEvent(a.merchantId, "evt_same_id")).toBeDefined();
      expect(await storedEvent(b.merchantId, "evt_same_id")).toBeDefined();
    });
  });

  describe("payment intents", () => {
    it("settles an attempt left without an answer (unknown): paid once, the janitor then has nothing to ask, a repeat changes nothing", async () => {
      const m = await stripeMerchant();
      const { customer, plan } = await customerWithCard(m.stripe());
      standIn.delayNextCharges(1, 1_500);
      await createSubscription(m.stripe(), { customerId: customer.id, planId: plan.id }).catch(() => null);
      const [sub] = await database.db.select().from(subscriptions).where(eq(subscriptions.customerId, customer.id));
      const [attempt] = await database.db.select().from(paymentAttempts).innerJoin(invoices, eq(invoices.id, paymentAttempts.invoiceId)).where(eq(invoices.subscriptionId, sub!.id));
      expect(attempt!.payment_attempts.status).toBe("pending");
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const pi = standIn.paymentIntents.find((p) => (p.metadata as Record<string, string>).keizoku_idempotency_key === attempt!.payment_attempts.idempotencyKey)!;
      const posted = stripeEvent("payment_intent.succeeded", pi);
      expect((await post(m, posted)).status).toBe(200);
      expect(await processAll()).toMatchObject({ claimed: 1, processed: 1 });
      expect(await storedEvent(m.merchantId, posted.event.id)).toMatchObject({ status: "processed", outcome: "settled_paid", attempts: 1, lastError: null });
      const [after] = await database.db.select().from(paymentAttempts).where(eq(paymentAttempts.id, attempt!.payment_attempts.id));
      expect(after).toMatchObject({ status: "succeeded", gatewayChargeId: pi.id });
      expect((await database.db.select().from(subscriptions).where(eq(subscriptions.id, sub!.id)))[0]!.status).toBe("active");
      expect(await resolveUnansweredAttempts(m.stripe(fixedClock(new Date(Date.now() + 10 * 60_000))))).toMatchObject({ asked: 0 });

      // Stripe delivers it again under the same id (stored once), and again as a new event about the same payment.
      expect(await (await post(m, posted)).json()).toEqual({ received: true, duplicate: true });
      const repeat = stripeEvent("payment_intent.succeeded", pi);
      await post(m, repeat);
      expect(await processAll()).toMatchObject({ claimed: 1, processed: 1 });
      expect(await storedEvent(m.merchantId, repeat.event.id)).toMatchObject({ status: "processed", outcome: "already_recorded" });
      const receipts = await database.db.select().from(mails).where(and(eq(mails.subscriptionId, sub!.id), eq(mails.template, "charge_succeeded")));
      expect(receipts).toHaveLength(1);
      expect(standIn.paymentIntents.filter((p) => p.customer === pi.customer)).toHaveLength(1);
    });

    it("settles a payment whose event arrives before our own call's answer; the answer then changes nothing", async () => {
      const m = await stripeMerchant();
      const { customer, plan } = await customerWithCard(m.stripe());
      standIn.delayNextCharges(1, 1_200);
      const signUp = createSubscription(m.stripe(fixedClock(NOW), 5_000), { customerId: customer.id, planId: plan.id });
      let pi: Record<string, unknown> | undefined;
      for (let i = 0; i < 100 && !pi; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        pi = standIn.paymentIntents.find((p) => p.customer === standIn.customers.find((c) => (c.metadata as Record<string, string>).keizoku_customer === customer.id)?.id);
      }
      expect(pi).toBeDefined();
      await post(m, stripeEvent("payment_intent.succeeded", pi!));
      expect(await processAll()).toMatchObject({ processed: 1 });
      const subscription = await signUp;
      expect(subscription.status).toBe("active");
      const attempts = await database.db.select().from(paymentAttempts).innerJoin(invoices, eq(invoices.id, paymentAttempts.invoiceId)).where(eq(invoices.subscriptionId, subscription.id));
      expect(attempts.map((a) => a.payment_attempts.status)).toEqual(["succeeded"]);
      expect(attempts[0]!.invoices.status).toBe("paid");
      expect(await database.db.select().from(mails).where(and(eq(mails.subscriptionId, subscription.id), eq(mails.template, "charge_succeeded")))).toHaveLength(1);
    });

    it("records a decline learnt from payment_intent.payment_failed, and never lets a late decline undo a payment", async () => {
      const m = await stripeMerchant();
      const { customer, plan } = await customerWithCard(m.stripe(), "insufficient_funds");
      standIn.delayNextCharges(1, 1_500);
      await createSubscription(m.stripe(), { customerId: customer.id, planId: plan.id }).catch(() => null);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const [sub] = await database.db.select().from(subscriptions).where(eq(subscriptions.customerId, customer.id));
      const stripeCustomer = standIn.customers.find((c) => (c.metadata as Record<string, string>).keizoku_customer === customer.id)!;
      const pi = standIn.paymentIntents.find((p) => p.customer === stripeCustomer.id)!;
      expect(pi.status).toBe("requires_payment_method");
      const failed = stripeEvent("payment_intent.payment_failed", pi);
      await post(m, failed);
      await processAll();
      expect(await storedEvent(m.merchantId, failed.event.id)).toMatchObject({ status: "processed", outcome: "settled_declined" });
      const [attempt] = await database.db.select().from(paymentAttempts).innerJoin(invoices, eq(invoices.id, paymentAttempts.invoiceId)).where(eq(invoices.subscriptionId, sub!.id));
      expect(attempt!.payment_attempts).toMatchObject({ status: "failed", failureCode: "insufficient_funds" });

      // A paid contract: an old payment_failed about its payment (a first try that failed before it succeeded) arrives late.
      const paid = await paidContract(m);
      const late = stripeEvent("payment_intent.payment_failed", { ...paid.pi, status: "requires_payment_method", last_payment_error: { code: "card_declined", decline_code: "insufficient_funds", message: "Your card has insufficient funds." } });
      await post(m, late);
      await processAll();
      expect(await storedEvent(m.merchantId, late.event.id)).toMatchObject({ status: "processed", outcome: "already_recorded" });
      const [still] = await database.db.select().from(invoices).where(eq(invoices.id, paid.invoiceId));
      expect(still!.status).toBe("paid");
    });

    it("leaves a payment for an attempt recorded as declined to staff (failed, with why), and lets them process it again", async () => {
      const m = await stripeMerchant();
      const { customer, plan } = await customerWithCard(m.stripe(), "insufficient_funds");
      await createSubscription(m.stripe(), { customerId: customer.id, planId: plan.id }).catch(() => null);
      const stripeCustomer = standIn.customers.find((c) => (c.metadata as Record<string, string>).keizoku_customer === customer.id)!;
      const pi = standIn.paymentIntents.find((p) => p.customer === stripeCustomer.id)!;
      const posted = stripeEvent("payment_intent.succeeded", { ...pi, status: "succeeded", last_payment_error: null });
      await post(m, posted);
      expect(await processAll()).toMatchObject({ failed: 1 });
      const stored = await storedEvent(m.merchantId, posted.event.id);
      expect(stored).toMatchObject({ status: "failed", outcome: "needs_attention", nextAttemptAt: null });
      expect(stored!.lastError).toContain("recorded as declined");

      const operator = await staffMemberOf(database, m, "operator", NOW);
      expect(await rejection(reprocessGatewayEvent(operator, { id: stored!.id }))).toMatchObject({ code: "forbidden" });
      await reprocessGatewayEvent(m.owner, { id: stored!.id });
      expect(await storedEvent(m.merchantId, posted.event.id)).toMatchObject({ status: "pending", nextAttemptAt: null });
      expect(await rejection(reprocessGatewayEvent(m.owner, { id: stored!.id }))).toMatchObject({ code: "conflict", details: { reason: "already_pending" } });
      const other = await stripeMerchant();
      expect(await rejection(reprocessGatewayEvent(other.owner, { id: stored!.id }))).toMatchObject({ code: "not_found" });
      const audits = await database.db.select().from(auditEvents).where(and(eq(auditEvents.merchantId, m.merchantId), eq(auditEvents.action, "gateway_event.reprocess")));
      expect(audits.map((a) => a.data)).toEqual([{ event: posted.event.id, was: "failed" }]);
    });

    it("tries an event that throws again with backoff, and ignores payments that are not ours", async () => {
      const m = await stripeMerchant();
      const broken = stripeEvent("payment_intent.succeeded", null as unknown as Record<string, unknown>);
      const foreign = stripeEvent("payment_intent.succeeded", { id: "pi_from_another_system", object: "payment_intent", amount: 500, currency: "jpy", metadata: {} });
      const other = stripeEvent("invoice.finalized", { id: "in_stripe_billing" });
      for (const posted of [broken, foreign, other]) await post(m, posted);
      expect(await processAll()).toMatchObject({ claimed: 3, retried: 1, ignored: 2 });
      expect(await storedEvent(m.merchantId, broken.event.id)).toMatchObject({ status: "pending", outcome: "error", attempts: 1, nextAttemptAt: new Date(NOW.getTime() + 60_000) });
      expect(await storedEvent(m.merchantId, foreign.event.id)).toMatchObject({ status: "ignored", outcome: "not_ours" });
      expect(await storedEvent(m.merchantId, other.event.id)).toMatchObject({ status: "ignored", outcome: "type_not_handled" });
      // Not due before its time; due after it.
      expect(await processAll(fixedClock(new Date(NOW.getTime() + 30_000)))).toMatchObject({ claimed: 0 });
      expect(await processAll(fixedClock(new Date(NOW.getTime() + 61_000)))).toMatchObject({ claimed: 1, retried: 1 });
      expect(await storedEvent(m.merchantId, broken.event.id)).toMatchObject({ attempts: 2, nextAttemptAt: new Date(NOW.getTime() + 61_000 + 5 * 60_000) });
      // Three days after it arrived, it stops being retried.
      expect(await processAll(fixedClock(new Date(NOW.getTime() + 3 * 86_400_000)))).toMatchObject({ claimed: 1, failed: 1 });
      expect(await storedEvent(m.merchantId, broken.event.id)).toMatchObject({ status: "failed", nextAttemptAt: null });
    });
  });

  describe("a renewal declined for authentication", () => {
    it("is recorded paid when the customer authenticated at Stripe without coming back to us; the page and a repeat then change nothing", async () => {
      const m = await stripeMerchant();
      const { customer, plan, paymentMethod } = await customerWithCard(m.stripe());
      const subscription = await createSubscription(m.stripe(), { customerId: customer.id, planId: plan.id });
      standIn.setCardBehavior(paymentMethod.gatewayRef.split("/")[1]!, "authentication_required");
      const [renewal] = await database.db.select().from(scheduledActions).where(and(eq(scheduledActions.subscriptionId, subscription.id), eq(scheduledActions.kind, "renewal"), eq(scheduledActions.status, "pending")));
      const runAt = new Date(renewal!.dueAt.getTime() + 5 * 60_000);
      await runDueActions(withStripe(testPlatform(database.db, { clock: fixedClock(runAt) }), fixedClock(runAt)), [renewal!.id]);
      const [sub] = await database.db.select().from(subscriptions).where(eq(subscriptions.id, subscription.id));
      expect(sub!.status).toBe("past_due");
      const invoiceId = sub!.overdueInvoiceId!;
      const [declined] = await database.db.select().from(paymentAttempts).where(eq(paymentAttempts.invoiceId, invoiceId));
      expect(declined).toMatchObject({ status: "failed", failureCode: "authentication_required" });

      // The customer opens the mailed page, goes to the issuer's page, authenticates, and closes the tab.
      const customerCtx = endUserContext(withStripe(testPlatform(database.db, { clock: fixedClock(runAt) }), fixedClock(runAt)), { merchantId: m.merchantId, customerId: customer.id });
      await startPaymentAuthentication(customerCtx, { invoiceId, returnUrl: "http://localhost:3000/pay/x/return" });
      expect(standIn.authenticatePaymentIntent(declined!.gatewayChargeId!)).toBe(true);
      const pi = standIn.paymentIntents.find((p) => p.id === declined!.gatewayChargeId)!;
      const succeeded = stripeEvent("payment_intent.succeeded", pi);
      await post(m, succeeded);
      await processAll(fixedClock(runAt));
      expect(await storedEvent(m.merchantId, succeeded.event.id)).toMatchObject({ status: "processed", outcome: "settled_paid" });
      const [after] = await database.db.select().from(subscriptions).where(eq(subscriptions.id, subscription.id));
      expect(after).toMatchObject({ status: "active", overdueInvoiceId: null });
      expect(await completePaymentAuthentication(customerCtx, { invoiceId })).toEqual({ status: "already_paid", invoiceId });

      const again = stripeEvent("payment_intent.succeeded", pi);
      await post(m, again);
      await processAll(fixedClock(runAt));
      expect(await storedEvent(m.merchantId, again.event.id)).toMatchObject({ status: "processed", outcome: "already_recorded" });
      const attempts = await database.db.select().from(paymentAttempts).where(eq(paymentAttempts.invoiceId, invoiceId)).orderBy(asc(paymentAttempts.attemptNumber));
      expect(attempts.map((a) => [a.trigger, a.status, a.gatewayChargeId])).toEqual([
        ["scheduled", "failed", pi.id],
        ["authentication", "succeeded", pi.id],
      ]);
    });
  });

  describe("refunds made at Stripe", () => {
    it("are recorded once from the charge's refunded total, in any order, beside our own refunds", async () => {
      const m = await stripeMerchant();
      const { invoiceId, pi, subscription } = await paidContract(m);
      const charge = (refunded: number) => ({ id: `ch_for_${pi.id}`, object: "charge", payment_intent: pi.id, amount: 3000, amount_refunded: refunded, currency: "jpy", refunded: refunded === 3000, metadata: pi.metadata });
      const first = stripeEvent("charge.refunded", charge(1000));
      const second = stripeEvent("charge.refunded", charge(1500));
      // The later event arrives first.
      await post(m, second);
      await processAll();
      await post(m, first);
      await post(m, stripeEvent("charge.refunded", charge(1500)));
      await processAll();
      const rows = await database.db.select().from(refunds).where(eq(refunds.invoiceId, invoiceId));
      expect(rows.map((r) => [r.amount, r.status])).toEqual([[1500, "succeeded"]]);
      expect((await storedEvent(m.merchantId, first.event.id))!.outcome).toBe("already_recorded");
      expect((await database.db.select().from(invoices).where(eq(invoices.id, invoiceId)))[0]!.amountRefunded).toBe(1500);
      expect(await database.db.select().from(mails).where(and(eq(mails.subscriptionId, subscription.id), eq(mails.template, "refund")))).toHaveLength(1);
      const audited = await database.db.select().from(auditEvents).where(and(eq(auditEvents.merchantId, m.merchantId), eq(auditEvents.action, "invoice.refunded")));
      expect(audited.map((a) => a.data)).toEqual([expect.objectContaining({ amount: 1500, madeAtGateway: true, gatewayEvent: second.event.id })]);

      // Our own refund of 500 reaches Stripe (2,000 refunded there): its event records nothing more.
      await refundInvoice(m.stripe(), { invoiceId, amount: 500 });
      await post(m, stripeEvent("charge.refunded", charge(2000)));
      await processAll();
      expect((await database.db.select().from(refunds).where(eq(refunds.invoiceId, invoiceId))).map((r) => r.amount).sort()).toEqual([1500, 500]);
      expect((await database.db.select().from(invoices).where(eq(invoices.id, invoiceId)))[0]!.amountRefunded).toBe(2000);
    });
  });

  describe("disputes", () => {
    it("mark the invoice disputed, audit it as invoice.disputed, and mail each owner once; later states follow, older ones do not", async () => {
      const m = await stripeMerchant();
      await createStaffUser(m.ctx(), { email: `second-owner-${m.merchantId}@staff.test`, name: "Second Owner", password: "password-1234", role: "owner", locale: "en" });
      const owners = await database.db.select().from(staffUsers).where(and(eq(staffUsers.merchantId, m.merchantId), eq(staffUsers.role, "owner")));
      expect(owners.length).toBeGreaterThanOrEqual(2);
      const { invoiceId, pi, subscription } = await paidContract(m);
      const dispute = (status: string) => ({ id: `dp_for_${pi.id}`, object: "dispute", charge: `ch_for_${pi.id}`, payment_intent: pi.id, amount: 3000, currency: "jpy", reason: "fraudulent", status, created: Math.floor(NOW.getTime() / 1000), evidence_details: { due_by: Math.floor(NOW.getTime() / 1000) + 10 * 86_400 } });
      const created = stripeEvent("charge.dispute.created", dispute("needs_response"));
      const closed = stripeEvent("charge.dispute.closed", dispute("won"));
      const updated = stripeEvent("charge.dispute.updated", dispute("under_review"), { created: closed.event.created - 1 });
      await post(m, created);
      await post(m, created);
      await processAll();
      await post(m, closed);
      await processAll();
      await post(m, updated);
      await processAll();
      expect((await storedEvent(m.merchantId, created.event.id))!.outcome).toBe("dispute_opened");
      expect((await storedEvent(m.merchantId, closed.event.id))!.outcome).toBe("dispute_updated");
      expect((await storedEvent(m.merchantId, updated.event.id))!.outcome).toBe("already_recorded");

      const [row] = await database.db.select().from(disputes).where(eq(disputes.invoiceId, invoiceId));
      expect(row).toMatchObject({ status: "won", amount: 3000, currency: "JPY", reason: "fraudulent", subscriptionId: subscription.id, evidenceDueBy: new Date(NOW.getTime() + 10 * 86_400_000) });
      const [invoice] = await database.db.select().from(invoices).where(eq(invoices.id, invoiceId));
      expect(invoice!.disputedAt).toEqual(new Date(created.event.created * 1000));
      const events = await database.db.select().from(webhookEvents).where(and(eq(webhookEvents.merchantId, m.merchantId), eq(webhookEvents.type, "invoice.disputed")));
      expect(events.map((e) => e.objectId)).toEqual([invoiceId]);
      const mailed = await database.db.select().from(mails).where(and(eq(mails.merchantId, m.merchantId), eq(mails.template, "dispute_opened"))).orderBy(asc(mails.toAddress));
      expect(mailed.map((mail) => mail.toAddress).sort()).toEqual(owners.map((o) => o.email).sort());
      expect(mailed.find((mail) => mail.toAddress.startsWith("second-owner"))!.locale).toBe("en");
      expect(mailed[0]!.variables).toMatchObject({ name: "山田 太郎", invoice_id: invoiceId, dispute_amount: "¥3,000", dispute_reason: "fraudulent", contract_url: `http://localhost:3000/console/subscriptions/${subscription.id}` });
      const rendered = await renderMail({ template: "dispute_opened", locale: "ja", variables: mailed[0]!.variables, override: null });
      expect(rendered.subject).toContain("チャージバック");
      expect(rendered.text).toContain("¥3,000");
    });
  });

  describe("cards", () => {
    it("follow Stripe's automatic updates (a new expiry, a reissued number), once", async () => {
      const m = await stripeMerchant();
      const { paymentMethod } = await customerWithCard(m.stripe());
      const [customer, pmId] = paymentMethod.gatewayRef.split("/");
      const updated = stripeEvent("payment_method.automatically_updated", { id: pmId, object: "payment_method", customer, card: { brand: "visa", last4: "8888", exp_month: 9, exp_year: 2032 } });
      await post(m, updated);
      await processAll();
      expect((await storedEvent(m.merchantId, updated.event.id))!.outcome).toBe("card_updated");
      const [row] = await database.db.select().from(paymentMethods).where(eq(paymentMethods.id, paymentMethod.id));
      expect(row).toMatchObject({ brand: "visa", last4: "8888", expMonth: 9, expYear: 2032, gatewayRef: paymentMethod.gatewayRef });
      const again = stripeEvent("payment_method.automatically_updated", { id: pmId, object: "payment_method", customer, card: { brand: "visa", last4: "8888", exp_month: 9, exp_year: 2032 } });
      await post(m, again);
      await processAll();
      expect((await storedEvent(m.merchantId, again.event.id))!.outcome).toBe("already_recorded");
      const audits = await database.db.select().from(auditEvents).where(and(eq(auditEvents.merchantId, m.merchantId), eq(auditEvents.action, "payment_method.updated_at_gateway")));
      expect(audits).toHaveLength(1);

      const setup = stripeEvent("setup_intent.succeeded", { id: "seti_1", object: "setup_intent", customer, payment_method: pmId, status: "succeeded" });
      const abandoned = stripeEvent("setup_intent.succeeded", { id: "seti_2", object: "setup_intent", customer, payment_method: "pm_never_saved_here", status: "succeeded" });
      await post(m, setup);
      await post(m, abandoned);
      await processAll();
      expect(await storedEvent(m.merchantId, setup.event.id)).toMatchObject({ status: "processed", outcome: "already_recorded" });
      expect(await storedEvent(m.merchantId, abandoned.event.id)).toMatchObject({ status: "ignored", outcome: "card_not_saved_here" });
    });
  });

  it("intake without a route: the service refuses a body that is not an event", async () => {
    const m = await stripeMerchant();
    const body = JSON.stringify({ hello: "world" });
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SIGNING_SECRET });
    expect(await rejection(receiveGatewayWebhook(m.stripe(), { gateway: "stripe", merchantId: m.merchantId, body, signature }))).toMatchObject({ code: "invalid", details: { reason: "not_an_event" } });
  });
});
