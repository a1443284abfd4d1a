import { and, asc, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditEvents, invoiceLines, mails, paymentAttempts, sandboxCharges, testClocks } from "@/db/schema";
import { openTestDatabase } from "@/test/support/database";
import type { PaymentGateway } from "@/lib/gateways/payment-gateway";
import { addPaymentMethod } from "./add-payment-method";
import { advanceTestClock } from "./advance-test-clock";
import { createCustomer } from "./create-customer";
import { createSubscription } from "./create-subscription";
import { ServiceError } from "./errors";
import { chargeAttempt, type PreparedCharge } from "./internal/payment-attempts";
import { settleCharges } from "./internal/settlement";
import { runDueAction } from "./run-due-actions";
import { testPlatform, withGateway } from "@/test/support/platform";
import { contractHistory, jst, rejection, setupClockCustomer, setupTestMerchant, type TestMerchant } from "@/test/support/merchant";

/** Monthly 3,100 JPY on the 25th with a 5,000 JPY joining fee; the tests vary the first period and the tax. */
const billingDay25 = { amount: 3100, interval: "month", billingDay: 25, joiningFee: 5000 } as const;

async function sandboxChargesFor(database: Database, cardRef: string) {
  return database.db.select().from(sandboxCharges).where(eq(sandboxCharges.cardRef, cardRef));
}

async function linesOf(database: Database, invoiceId: string) {
  return database.db
    .select({ kind: invoiceLines.kind, amount: invoiceLines.amount, periodStart: invoiceLines.periodStart, periodEnd: invoiceLines.periodEnd })
    .from(invoiceLines)
    .where(eq(invoiceLines.invoiceId, invoiceId))
    .orderBy(asc(invoiceLines.position));
}

async function expectServiceError(promise: Promise<unknown>, code: string, details: Record<string, unknown> = {}) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  expect(error).toMatchObject({ code, details: expect.objectContaining(details) });
}

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

describe("create subscription with an immediate first charge", () => {

  it("prorates the first period to the billing day and charges it with the joining fee in one invoice and one attempt", async () => {
    const m = await setupTestMerchant(database);
    const { customer, plan, paymentMethod } = await setupClockCustomer(m, {
      start: jst("2027-01-10T12:00:00"),
      plan: { ...billingDay25, firstPeriod: "prorate" },
    });
    const subscription = await createSubscription(m.ctx(), { customerId: customer.id, planId: plan.id });
    expect(subscription).toMatchObject({
      status: "active",
      billingAnchor: 25,
      paidThrough: jst("2027-01-25T00:00:00"),
      joiningFeePending: false,
      lastPaymentAt: jst("2027-01-10T12:00:00"),
    });

    const h = await contractHistory(database, subscription.id);
    expect(h.invoices).toHaveLength(1);
    // 15 of the 31 days from Dec 25 to Jan 25: ⌊3,100 × 15 / 31⌋ = 1,500; plus the joining fee; 10 % included.
    expect(h.invoices[0]).toMatchObject({ kind: "first", status: "paid", total: 6500, tax: 590, subtotal: 5910, periodEnd: jst("2027-01-25T00:00:00") });
    expect(await linesOf(database, h.invoices[0]!.id)).toEqual([
      { kind: "proration", amount: 1500, periodStart: jst("2027-01-10T00:00:00"), periodEnd: jst("2027-01-25T00:00:00") },
      { kind: "joining_fee", amount: 5000, periodStart: null, periodEnd: null },
    ]);
    expect(h.attempts).toEqual([{ invoiceId: h.invoices[0]!.id, status: "succeeded", attemptedAt: jst("2027-01-10T12:00:00"), amount: 6500, trigger: "checkout" }]);
    expect((await sandboxChargesFor(database, paymentMethod.gatewayRef)).map((c) => [c.amount, c.outcome])).toEqual([[6500, "succeeded"]]);
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-01-25T00:00:00")]]);
    expect(h.mails.map((x) => x.template)).toEqual(["welcome", "charge_succeeded"]);
  });

  it.each([
    { taxBehavior: "inclusive", taxRate: 8, subtotal: 6019, tax: 481, total: 6500 },
    { taxBehavior: "exclusive", taxRate: 8, subtotal: 6500, tax: 520, total: 7020 },
    { taxBehavior: "exclusive", taxRate: 10, subtotal: 6500, tax: 650, total: 7150 },
  ] as const)("computes $taxBehavior $taxRate % tax once on the whole first invoice, rounded down", async ({ taxBehavior, taxRate, subtotal, tax, total }) => {
    const m = await setupTestMerchant(database);
    const { customer, plan, paymentMethod } = await setupClockCustomer(m, {
      start: jst("2027-01-10T12:00:00"),
      plan: { ...billingDay25, firstPeriod: "prorate", taxBehavior, taxRate },
    });
    const subscription = await createSubscription(m.ctx(), { customerId: customer.id, planId: plan.id });
    const h = await contractHistory(database, subscription.id);
    expect(h.invoices.map((i) => ({ subtotal: i.subtotal, tax: i.tax, total: i.total, status: i.status }))).toEqual([{ subtotal, tax, total, status: "paid" }]);
    expect(h.attempts.map((a) => a.amount)).toEqual([total]);
    expect((await sandboxChargesFor(database, paymentMethod.gatewayRef)).map((c) => c.amount)).toEqual([total]);
  });

  it("charges the partial first period in full when the plan says so", async () => {
    const m = await setupTestMerchant(database);
    const { customer, plan } = await setupClockCustomer(m, { start: jst("2027-01-10T12:00:00"), plan: { ...billingDay25, firstPeriod: "full" } });
    const subscription = await createSubscription(m.ctx(), { customerId: customer.id, planId: plan.id });
    const h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "active", paidThrough: jst("2027-01-25T00:00:00") });
    expect(h.invoices.map((i) => [i.kind, i.status, i.total])).toEqual([["first", "paid", 8100]]);
    expect((await linesOf(database, h.invoices[0]!.id)).map((l) => [l.kind, l.amount])).toEqual([
      ["period", 3100],
      ["joining_fee", 5000],
    ]);
  });

  it("starts a free first period with no charge; the joining fee comes with the first paid period on the billing day", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, customer, plan, paymentMethod } = await setupClockCustomer(m, { start: jst("2027-01-10T12:00:00"), plan: { ...billingDay25, firstPeriod: "free" } });
    const subscription = await createSubscription(ctx, { customerId: customer.id, planId: plan.id });
    let h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "active", paidThrough: jst("2027-01-25T00:00:00"), joiningFeePending: true, lastPaymentAt: null });
    expect(h.invoices).toEqual([]);
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-01-25T00:00:00")]]);

    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-01-25T09:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.invoices.map((i) => [i.kind, i.status, i.total, i.periodStart, i.periodEnd])).toEqual([
      ["renewal", "paid", 8100, jst("2027-01-25T00:00:00"), jst("2027-02-25T00:00:00")],
    ]);
    expect((await linesOf(database, h.invoices[0]!.id)).map((l) => [l.kind, l.amount])).toEqual([
      ["period", 3100],
      ["joining_fee", 5000],
    ]);
    expect(h.sub).toMatchObject({ status: "active", paidThrough: jst("2027-02-25T00:00:00"), joiningFeePending: false });
    expect((await sandboxChargesFor(database, paymentMethod.gatewayRef)).map((c) => c.amount)).toEqual([8100]);

    // The next period charges the regular amount only.
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-25T09:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.invoices.map((i) => i.total)).toEqual([8100, 3100]);
  });

  it("charges a full first cycle when the customer signs up on the billing day", async () => {
    const m = await setupTestMerchant(database);
    const { customer, plan } = await setupClockCustomer(m, { start: jst("2027-01-25T08:00:00"), plan: { ...billingDay25, firstPeriod: "prorate" } });
    const subscription = await createSubscription(m.ctx(), { customerId: customer.id, planId: plan.id });
    const h = await contractHistory(database, subscription.id);
    expect(h.sub.paidThrough).toEqual(jst("2027-02-25T00:00:00"));
    expect(h.invoices.map((i) => i.total)).toEqual([8100]);
  });

  it("leaves the contract incomplete with an open invoice when the first charge is declined", async () => {
    const m = await setupTestMerchant(database);
    const { customer, plan, paymentMethod } = await setupClockCustomer(m, {
      start: jst("2027-01-10T12:00:00"),
      card: "4000000000000341",
      plan: { ...billingDay25, firstPeriod: "prorate" },
    });
    const declined = await rejection(createSubscription(m.ctx(), { customerId: customer.id, planId: plan.id }));
    expect(declined).toMatchObject({ code: "payment_declined", details: { declineCode: "card_declined", declineKind: "soft" } });
    const h = await contractHistory(database, declined.details.subscriptionId!);
    expect(declined.details.invoiceId).toBe(h.invoices[0]!.id);
    expect(h.sub).toMatchObject({ status: "incomplete", paidThrough: null, lastPaymentAt: null, joiningFeePending: true, overdueInvoiceId: h.invoices[0]!.id });
    expect(h.invoices.map((i) => [i.kind, i.status, i.total])).toEqual([["first", "open", 6500]]);
    expect(h.attempts.map((a) => [a.status, a.amount])).toEqual([["failed", 6500]]);
    expect(h.pending).toEqual([]);
    expect(h.mails.map((x) => x.template)).toEqual(["welcome", "charge_failed"]);
    expect((await sandboxChargesFor(database, paymentMethod.gatewayRef)).map((c) => [c.amount, c.outcome])).toEqual([[6500, "failed"]]);
  });

  it("refuses a payment method of another customer as not found and writes nothing", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { customer, plan, clock } = await setupClockCustomer(m, { start: jst("2027-01-10T12:00:00"), plan: { ...billingDay25 } });
    const other = await createCustomer(ctx, { email: "other@example.jp", name: "佐藤 花子", testClockId: clock.id });
    const token = await m.gateway.testControls.createToken({ number: "4242424242424242", expMonth: 12, expYear: 2035, cvc: "123" }, jst("2027-01-10T12:00:00"));
    const othersCard = await addPaymentMethod(ctx, { customerId: other.id, token: token.id });
    const auditBefore = await database.db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.merchantId, m.merchantId));

    await expectServiceError(createSubscription(ctx, { customerId: customer.id, planId: plan.id, paymentMethodId: othersCard.id }), "not_found", { param: "payment_method" });

    const auditAfter = await database.db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.merchantId, m.merchantId));
    expect(auditAfter).toEqual(auditBefore);
    expect(await sandboxChargesFor(database, othersCard.gatewayRef)).toEqual([]);
    const mailRows = await database.db.select().from(mails).where(eq(mails.merchantId, m.merchantId));
    expect(mailRows).toEqual([]);
  });
});

describe("a charge for an invoice attempt happens at most once", () => {

  /** A gateway whose answer is lost on the way back: the sandbox charged, the caller never heard. */
  function answerLost(m: TestMerchant): PaymentGateway {
    return {
      ...m.gateway,
      charge: async (request) => {
        await m.gateway.charge(request);
        throw new Error("connection reset after the request was sent");
      },
    };
  }

  it("settling the same attempt twice, even at once, records one payment and its consequences once", async () => {
    const m = await setupTestMerchant(database);
    const { customer, plan, paymentMethod } = await setupClockCustomer(m, {
      start: jst("2027-01-10T12:00:00"),
      plan: { amount: 3000, interval: "month", joiningFee: 2000 },
    });
    const lossy = withGateway(m.ctx(), answerLost(m));
    await expectServiceError(createSubscription(lossy, { customerId: customer.id, planId: plan.id }), "unavailable", { reason: "gateway_unavailable" });

    // The contract waits with its attempt in flight; the gateway already holds the charge.
    const [sub] = await database.db.select().from(paymentAttempts).where(eq(paymentAttempts.merchantId, m.merchantId));
    expect(sub!.status).toBe("pending");
    const [{ subscriptionId }] = (await database.query<{ subscriptionId: string }>(
      "select subscription_id as \"subscriptionId\" from invoices where id = $1",
      [sub!.invoiceId],
    )) as [{ subscriptionId: string }];
    const prepared: PreparedCharge = { attempt: sub!, card: { ref: paymentMethod.gatewayRef, gateway: "sandbox" } };

    // Replaying the attempt with its key returns the gateway's first answer, and charges nothing more.
    const ctx = m.ctx();
    const result = await chargeAttempt(ctx.gateways, prepared);
    expect(result.status).toBe("succeeded");
    const settle = async () => (await settleCharges(ctx, [{ prepared, result, subscriptionId }]))[0]!;
    const settled = await Promise.all([settle(), settle()]);
    expect(settled.map((s) => s.status).sort()).toEqual(["already_settled", "paid"]);
    expect(await settle()).toEqual({ status: "already_settled", invoiceId: sub!.invoiceId });

    const h = await contractHistory(database, subscriptionId);
    expect(h.sub).toMatchObject({ status: "active", paidThrough: jst("2027-02-10T00:00:00") });
    expect(h.invoices.map((i) => [i.status, i.total])).toEqual([["paid", 5000]]);
    expect(h.attempts.map((a) => a.status)).toEqual(["succeeded"]);
    expect(h.mails.filter((x) => x.template === "charge_succeeded")).toHaveLength(1);
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-02-10T00:00:00")]]);
    expect((await sandboxChargesFor(database, paymentMethod.gatewayRef)).map((c) => c.amount)).toEqual([5000]);
    const paidEvents = await database.db
      .select({ n: count() })
      .from(auditEvents)
      .where(and(eq(auditEvents.merchantId, m.merchantId), eq(auditEvents.action, "invoice.paid")));
    expect(paidEvents).toEqual([{ n: 1 }]);
  });

  it("running the same due renewal twice at once charges once", async () => {
    const m = await setupTestMerchant(database);
    const { clock, customer, plan, paymentMethod } = await setupClockCustomer(m, { start: jst("2027-01-10T12:00:00"), plan: { amount: 3000, interval: "month" } });
    const subscription = await createSubscription(m.ctx(), { customerId: customer.id, planId: plan.id });
    const [renewal] = (await contractHistory(database, subscription.id)).pending;
    expect(renewal).toMatchObject({ kind: "renewal", dueAt: jst("2027-02-10T00:00:00") });

    // The clock reaches the due time (as advanceTestClock does before it runs an action); two workers pick up the same action.
    await database.db.update(testClocks).set({ frozenTime: jst("2027-02-10T00:00:00") }).where(eq(testClocks.id, clock.id));
    const run = testPlatform(database.db, { gateway: m.gateway, clock: { now: () => jst("2027-02-10T00:00:00") } });
    const outcomes = await Promise.all([runDueAction(run, renewal!.id), runDueAction(run, renewal!.id)]);
    expect(outcomes.map((o) => o.outcome)).toContain("paid");
    expect(outcomes.filter((o) => o.outcome === "paid")).toHaveLength(1);
    expect(await runDueAction(run, renewal!.id)).toEqual({ actionId: renewal!.id, outcome: "already_done" });

    const h = await contractHistory(database, subscription.id);
    expect(h.invoices.map((i) => [i.kind, i.status])).toEqual([
      ["first", "paid"],
      ["renewal", "paid"],
    ]);
    expect(h.attempts.map((a) => [a.trigger, a.status])).toEqual([
      ["checkout", "succeeded"],
      ["scheduled", "succeeded"],
    ]);
    expect(h.sub.paidThrough).toEqual(jst("2027-03-10T00:00:00"));
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-03-10T00:00:00")]]);
    expect((await sandboxChargesFor(database, paymentMethod.gatewayRef)).map((c) => c.amount)).toEqual([3000, 3000]);
    expect(h.mails.filter((x) => x.template === "charge_succeeded")).toHaveLength(2);
  });
});
