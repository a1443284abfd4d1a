import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditEvents, invoices, paymentAttempts, sandboxCharges, scheduledActions } from "@/db/schema";
import { verifyLinkToken } from "@/lib/auth/signed-link";
import { configuredGateways } from "@/lib/gateways/configured-gateway";
import { mailLinkVariables } from "@/lib/mail/links";
import { openTestDatabase } from "@/test/support/database";
import { contractHistory, jst, rejection, signedUpContract, setupTestMerchant, staffMemberOf, type TestMerchant } from "@/test/support/merchant";
import { TEST_LINKS, TEST_SECRETS, testPlatform } from "@/test/support/platform";
import { startStripeStandIn, type StripeStandIn } from "@/test/support/stripe-stand-in";
import { addPaymentMethod } from "./add-payment-method";
import { advanceTestClock } from "./advance-test-clock";
import { cancelSubscription } from "./cancel-subscription";
import { completePaymentAuthentication, getPaymentAuthenticationView, startPaymentAuthentication } from "./complete-payment-authentication";
import { type Clock, fixedClock, type Platform } from "./context";
import { endUserContext } from "./contexts";
import { createCustomer } from "./create-customer";
import { createPlan } from "./create-plan";
import { createProduct } from "./create-product";
import { createSubscription } from "./create-subscription";
import { runDueActions } from "./run-due-actions";
import { setStripeCredential } from "./stripe-credentials";
import { updateBillingSettings } from "./update-billing-settings";
import { updateCardFromLink } from "./update-card-from-link";

/**
 * A renewal the card's issuer refuses until the customer authenticates it (3-D Secure, `authentication_required`):
 * no retries, past due, a mail with a signed link to the page that authenticates that very charge, and — once the
 * customer has — the invoice paid through the usual settlement, the contract active, one charge in all.
 */
let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

/** The payment_url of a queued mail as the delivery worker signs it, and the invoice its token opens. */
async function mailedLink(mail: { merchantId: string; links: Record<string, string> }, now: Date) {
  const variables = await mailLinkVariables(TEST_LINKS, mail.merchantId, mail.links, now);
  const url = variables.payment_url!;
  expect(url).toMatch(/^http:\/\/localhost:3000\/pay\/[\w.-]+$/);
  const verified = await verifyLinkToken(TEST_LINKS.secret, "payment_authentication", url.split("/pay/")[1]!, now);
  if (!verified.ok) throw new Error(`the mailed link does not open: ${verified.reason}`);
  return { url, invoiceId: verified.subject, merchantId: verified.merchantId };
}

async function attemptsOf(invoiceId: string) {
  return database.db.select().from(paymentAttempts).where(eq(paymentAttempts.invoiceId, invoiceId)).orderBy(asc(paymentAttempts.attemptNumber));
}

describe("the sandbox: a renewal declined for authentication", () => {
  const customerCtx = (m: TestMerchant, customerId: string) => endUserContext(testPlatform(database.db, { gateway: m.gateway }), { merchantId: m.merchantId, customerId });

  /** A contract on a test clock whose renewal of 2027-02-10 asked for authentication. */
  async function declinedForAuthentication(m: TestMerchant) {
    const contract = await signedUpContract(m);
    await m.gateway.testControls.setCardBehavior(contract.paymentMethod.gatewayRef, "authentication_required");
    await advanceTestClock(m.ctx(), { testClockId: contract.clock.id, frozenTime: jst("2027-02-10T12:00:00") });
    const h = await contractHistory(database, contract.subscription.id);
    return { ...contract, invoiceId: h.sub.overdueInvoiceId!, history: h };
  }

  it("is past due with no retry, the customer mailed a link; the page authenticates that charge: paid, active, one charge; again changes nothing", async () => {
    const m = await setupTestMerchant(database);
    const { subscription, customer, paymentMethod, invoiceId, history: h } = await declinedForAuthentication(m);
    expect(h.sub).toMatchObject({ status: "past_due", overdueInvoiceId: invoiceId, unpaidSince: null });
    expect(h.pending.map((a) => a.kind)).toEqual(["dunning_notice", "dunning_notice", "dunning_notice", "withdrawal"]);
    // The first notice when the retries (7 and 14 days) would have run out.
    expect(h.pending[0]!.dueAt).toEqual(jst("2027-02-24T00:00:00"));
    const [declined] = await attemptsOf(invoiceId);
    expect(declined).toMatchObject({ status: "failed", failureCode: "authentication_required", gatewayChargeId: expect.stringMatching(/^ch_/) });

    const mail = h.mails.find((x) => x.template === "payment_authentication")!;
    expect(h.mails.filter((x) => x.template === "charge_failed")).toEqual([]);
    expect(mail).toMatchObject({ invoiceId, links: { card_update: subscription.id, payment_authentication: invoiceId }, variables: { decline: "authentication", failure_code: "authentication_required", amount: "¥3,000" } });
    const link = await mailedLink(mail, jst("2027-02-10T12:00:00"));
    expect(link).toMatchObject({ invoiceId, merchantId: m.merchantId });

    const ctx = customerCtx(m, customer.id);
    expect(await getPaymentAuthenticationView(ctx, invoiceId)).toMatchObject({
      state: "awaiting",
      amount: 3000,
      currency: "jpy",
      periodStart: jst("2027-02-10T00:00:00"),
      periodEnd: jst("2027-03-10T00:00:00"),
      contractStatus: "past_due",
    });
    // Back before authenticating: not paid, nothing recorded.
    expect(await rejection(completePaymentAuthentication(ctx, { invoiceId }))).toMatchObject({ code: "payment_declined", details: { reason: "authentication_required" } });
    expect(await attemptsOf(invoiceId)).toHaveLength(1);

    const step = await startPaymentAuthentication(ctx, { invoiceId, returnUrl: `${link.url}/return` });
    expect(step).toEqual({ status: "requires_action", actionUrl: `/sandbox-gateway/challenge/${declined!.gatewayChargeId}`, framed: true });
    expect(await m.gateway.authentication.complete(declined!.gatewayChargeId!, "succeeded")).toBe(true);

    expect(await completePaymentAuthentication(ctx, { invoiceId })).toEqual({ status: "paid", invoiceId });
    const after = await contractHistory(database, subscription.id);
    expect(after.sub).toMatchObject({ status: "active", overdueInvoiceId: null });
    expect(after.invoices.find((i) => i.id === invoiceId)).toMatchObject({ status: "paid" });
    expect(after.pending.map((a) => a.kind)).toEqual(["renewal"]);
    const attempts = await attemptsOf(invoiceId);
    expect(attempts.map((a) => [a.trigger, a.status, a.gatewayChargeId])).toEqual([
      ["scheduled", "failed", declined!.gatewayChargeId],
      ["authentication", "succeeded", declined!.gatewayChargeId],
    ]);
    // The card was charged twice in all: the first period, and the renewal — authenticated, not charged again.
    const charges = await database.db.select().from(sandboxCharges).where(eq(sandboxCharges.cardRef, paymentMethod.gatewayRef));
    expect(charges.map((c) => c.outcome)).toEqual(["succeeded", "succeeded"]);
    expect(charges.map((c) => c.id)).toContain(declined!.gatewayChargeId);

    // A reload, a second click: nothing more.
    expect(await completePaymentAuthentication(ctx, { invoiceId })).toEqual({ status: "already_paid", invoiceId });
    expect(await startPaymentAuthentication(ctx, { invoiceId, returnUrl: `${link.url}/return` })).toEqual({ status: "already_paid", invoiceId });
    expect(await attemptsOf(invoiceId)).toHaveLength(2);
    expect((await contractHistory(database, subscription.id)).mails.filter((x) => x.template === "charge_succeeded" && x.invoiceId === invoiceId)).toHaveLength(1);
    expect(await getPaymentAuthenticationView(ctx, invoiceId)).toMatchObject({ state: "paid", paidAt: expect.any(Date) });
  });

  it("two completions at once record one payment", async () => {
    const m = await setupTestMerchant(database);
    const { customer, invoiceId } = await declinedForAuthentication(m);
    const [declined] = await attemptsOf(invoiceId);
    await m.gateway.authentication.complete(declined!.gatewayChargeId!, "succeeded");
    const ctx = customerCtx(m, customer.id);
    const outcomes = await Promise.all([completePaymentAuthentication(ctx, { invoiceId }), completePaymentAuthentication(ctx, { invoiceId })]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["already_paid", "paid"]);
    expect((await attemptsOf(invoiceId)).filter((a) => a.status === "succeeded")).toHaveLength(1);
  });

  it("not authenticated in time: unpaid when the first notice falls due; authenticating later still pays and recovers", async () => {
    const m = await setupTestMerchant(database);
    const { subscription, customer, invoiceId, clock } = await declinedForAuthentication(m);
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-24T12:00:00") });
    const h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "unpaid", unpaidSince: jst("2027-02-24T00:00:00"), overdueInvoiceId: invoiceId });
    expect(h.mails.map((x) => x.template)).toContain("unpaid_notice");
    // No charge was tried in between: the retries that cannot succeed never ran.
    expect(await attemptsOf(invoiceId)).toHaveLength(1);

    const [declined] = await attemptsOf(invoiceId);
    await m.gateway.authentication.complete(declined!.gatewayChargeId!, "succeeded");
    expect(await completePaymentAuthentication(customerCtx(m, customer.id), { invoiceId })).toEqual({ status: "paid", invoiceId });
    const after = await contractHistory(database, subscription.id);
    expect(after.sub).toMatchObject({ status: "active", unpaidSince: null, paidThrough: jst("2027-03-24T00:00:00") });
    expect(after.pending.map((a) => a.kind)).toEqual(["renewal"]);
  });

  it("paid meanwhile with a new card, then authenticated in a tab left open: the second charge is booked and told to staff, the contract untouched", async () => {
    const m = await setupTestMerchant(database);
    const { subscription, customer, invoiceId } = await declinedForAuthentication(m);
    const ctx = customerCtx(m, customer.id);
    await startPaymentAuthentication(ctx, { invoiceId, returnUrl: "http://localhost:3000/pay/t/return" });
    const token = await m.gateway.testControls.createToken({ number: "5555555555554444", expMonth: 12, expYear: 2035, cvc: "123" }, jst("2027-02-10T12:00:00"));
    expect(await updateCardFromLink(ctx, { subscriptionId: subscription.id, token: token.id })).toMatchObject({ status: "active", paid: { invoiceId } });
    const before = await contractHistory(database, subscription.id);

    const [declined] = await attemptsOf(invoiceId);
    // The page now says the invoice is paid; the issuer's page, open in another tab, is passed all the same.
    await m.gateway.authentication.complete(declined!.gatewayChargeId!, "succeeded");
    expect(await startPaymentAuthentication(ctx, { invoiceId })).toEqual({ status: "already_paid", invoiceId });
    expect(await completePaymentAuthentication(ctx, { invoiceId })).toEqual({ status: "already_paid", invoiceId });
    expect(await completePaymentAuthentication(ctx, { invoiceId })).toEqual({ status: "already_paid", invoiceId });
    const attempts = await attemptsOf(invoiceId);
    expect(attempts.map((a) => [a.trigger, a.status])).toEqual([
      ["scheduled", "failed"],
      ["card_update", "succeeded"],
      ["authentication", "succeeded"],
    ]);
    const told = await database.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, invoiceId), eq(auditEvents.action, "invoice.paid_twice")));
    expect(told.map((e) => e.data)).toEqual([{ gatewayChargeId: declined!.gatewayChargeId, amount: 3000, currency: "jpy" }]);
    const after = await contractHistory(database, subscription.id);
    expect(after.sub).toEqual(before.sub);
  });

  it("new billing settings bring no retries back: the notices follow the new schedule's end", async () => {
    const m = await setupTestMerchant(database);
    const { subscription, invoiceId } = await declinedForAuthentication(m);
    await updateBillingSettings(m.ctx(), { retryScheduleDays: [3, 10, 20] });
    const h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("past_due");
    expect(h.pending.map((a) => a.kind)).toEqual(["dunning_notice", "dunning_notice", "dunning_notice", "withdrawal"]);
    expect(h.pending[0]!.dueAt).toEqual(jst("2027-03-02T00:00:00"));
    expect(await attemptsOf(invoiceId)).toHaveLength(1);
  });

  it("says why when there is nothing to authenticate: another customer's invoice, an ended contract, a decline of another kind", async () => {
    const m = await setupTestMerchant(database);
    const { subscription, customer, invoiceId } = await declinedForAuthentication(m);
    const stranger = await createCustomer(m.ctx(), { email: "stranger@example.jp", name: "他人" });
    expect(await rejection(getPaymentAuthenticationView(customerCtx(m, stranger.id), invoiceId))).toMatchObject({ code: "not_found" });
    expect(await rejection(startPaymentAuthentication(customerCtx(m, stranger.id), { invoiceId }))).toMatchObject({ code: "not_found" });
    expect(await rejection(startPaymentAuthentication(customerCtx(m, customer.id), { invoiceId: "" }))).toMatchObject({ code: "invalid" });

    await cancelSubscription(m.ctx(), { subscriptionId: subscription.id, atPeriodEnd: false });
    const ctx = customerCtx(m, customer.id);
    expect(await getPaymentAuthenticationView(ctx, invoiceId)).toMatchObject({ state: "ended" });
    expect(await rejection(startPaymentAuthentication(ctx, { invoiceId }))).toMatchObject({ code: "conflict", details: { reason: "ended" } });
    const [declined] = await attemptsOf(invoiceId);
    await m.gateway.authentication.complete(declined!.gatewayChargeId!, "succeeded");
    expect(await rejection(completePaymentAuthentication(ctx, { invoiceId }))).toMatchObject({ code: "conflict", details: { reason: "ended" } });
    expect(await attemptsOf(invoiceId)).toHaveLength(1);

    const soft = await signedUpContract(m);
    await m.gateway.testControls.setCardBehavior(soft.paymentMethod.gatewayRef, "insufficient_funds");
    await advanceTestClock(m.ctx(), { testClockId: soft.clock.id, frozenTime: jst("2027-02-10T12:00:00") });
    const softInvoice = (await contractHistory(database, soft.subscription.id)).sub.overdueInvoiceId!;
    const softCtx = customerCtx(m, soft.customer.id);
    expect(await getPaymentAuthenticationView(softCtx, softInvoice)).toMatchObject({ state: "unavailable" });
    expect(await rejection(startPaymentAuthentication(softCtx, { invoiceId: softInvoice }))).toMatchObject({ code: "conflict", details: { reason: "unavailable" } });
  });
});

// Stripe's servers cannot be reached from here: the official SDK talks to a local stand-in (test/support/stripe-stand-in.ts).
// Stripe.js and the issuer's 3-D Secure page cannot load either: the stand-in marks the PaymentIntent authenticated as
// the customer would there (authenticatePaymentIntent), and what is tested is our server side around it.
describe("Stripe: a renewal declined for authentication", () => {
  const NOW = new Date("2027-03-01T03:00:00Z");
  let standIn: StripeStandIn;
  beforeAll(async () => {
    standIn = await startStripeStandIn();
  });
  afterAll(async () => standIn.close());

  const platform = (clock: Clock): Platform => ({
    ...testPlatform(database.db, { clock }),
    gateways: configuredGateways(database.db, { secrets: TEST_SECRETS, stripeEnvironment: {}, stripeConnection: { host: "127.0.0.1", port: standIn.port, protocol: "http", maxNetworkRetries: 0, timeoutMs: 2_000 } }),
  });

  it("is past due with no retry; the PaymentIntent is confirmed again for the customer, authenticated, and recorded once", async () => {
    const m = await setupTestMerchant(database, { now: NOW });
    await setStripeCredential(await staffMemberOf(database, m, "owner", NOW), { name: "secretKey", value: "sk_test_51StandInSecretKey0000auth" });
    const ctx = { ...m.ctx(fixedClock(NOW)), gateways: platform(fixedClock(NOW)).gateways };
    const customer = await createCustomer(ctx, { email: "sca@example.jp", name: "認証 花子" });
    const paymentMethod = await addPaymentMethod(ctx, { customerId: customer.id, token: standIn.addCard("succeed") });
    const product = await createProduct(ctx, { name: "オンライン講座" });
    const plan = await createPlan(ctx, { productId: product.id, amount: 3000, interval: "month" });
    const subscription = await createSubscription(ctx, { customerId: customer.id, planId: plan.id });
    expect(subscription.status).toBe("active");

    // The issuer starts asking for authentication: the renewal runs.
    standIn.setCardBehavior(paymentMethod.gatewayRef.split("/")[1]!, "authentication_required");
    const [renewal] = await database.db.select().from(scheduledActions).where(and(eq(scheduledActions.subscriptionId, subscription.id), eq(scheduledActions.kind, "renewal"), eq(scheduledActions.status, "pending")));
    const runAt = new Date(renewal!.dueAt.getTime() + 5 * 60_000);
    await runDueActions(platform(fixedClock(runAt)), [renewal!.id]);
    const h = await contractHistory(database, subscription.id);
    const invoiceId = h.sub.overdueInvoiceId!;
    expect(h.sub.status).toBe("past_due");
    expect(h.pending.some((a) => a.kind === "retry")).toBe(false);
    const [declined] = await attemptsOf(invoiceId);
    expect(declined).toMatchObject({ status: "failed", failureCode: "authentication_required", gatewayChargeId: expect.stringMatching(/^pi_/) });
    const mail = h.mails.find((x) => x.template === "payment_authentication")!;
    const link = await mailedLink(mail, runAt);
    expect(link.invoiceId).toBe(invoiceId);

    const customerCtx = endUserContext(platform(fixedClock(runAt)), { merchantId: m.merchantId, customerId: customer.id });
    const step = await startPaymentAuthentication(customerCtx, { invoiceId, returnUrl: `${link.url}/return` });
    expect(step).toEqual({ status: "requires_action", actionUrl: `https://hooks.stripe.test/3ds/${declined!.gatewayChargeId}`, framed: false });
    expect(standIn.paymentIntents.find((p) => p.id === declined!.gatewayChargeId)!.next_action).toMatchObject({ redirect_to_url: { return_url: `${link.url}/return` } });
    // Back without authenticating: not paid.
    expect(await rejection(completePaymentAuthentication(customerCtx, { invoiceId }))).toMatchObject({ code: "payment_declined", details: { reason: "authentication_required" } });

    expect(standIn.authenticatePaymentIntent(declined!.gatewayChargeId!)).toBe(true);
    expect(await completePaymentAuthentication(customerCtx, { invoiceId })).toEqual({ status: "paid", invoiceId });
    const after = await contractHistory(database, subscription.id);
    expect(after.sub).toMatchObject({ status: "active", overdueInvoiceId: null });
    const [paid] = await database.db.select().from(invoices).where(eq(invoices.id, invoiceId));
    expect(paid!.status).toBe("paid");
    const intents = standIn.paymentIntents.filter((p) => (p.metadata as Record<string, string>).keizoku_invoice === invoiceId);
    expect(intents.map((p) => [p.id, p.status])).toEqual([[declined!.gatewayChargeId, "succeeded"]]);

    const posts = standIn.requests.filter((r) => r.method === "POST").length;
    expect(await completePaymentAuthentication(customerCtx, { invoiceId })).toEqual({ status: "already_paid", invoiceId });
    expect(await startPaymentAuthentication(customerCtx, { invoiceId, returnUrl: `${link.url}/return` })).toEqual({ status: "already_paid", invoiceId });
    expect(standIn.requests.filter((r) => r.method === "POST").length).toBe(posts);
    expect((await attemptsOf(invoiceId)).map((a) => [a.trigger, a.status])).toEqual([
      ["scheduled", "failed"],
      ["authentication", "succeeded"],
    ]);
  });
});
