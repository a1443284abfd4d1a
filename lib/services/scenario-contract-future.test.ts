import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { invoices, mails, paymentAttempts, subscriptions, testClocks } from "@/db/schema";
import { localDateOf, startOfLocalDay } from "@/lib/billing/calendar";
import { futureCharges } from "@/lib/billing/contract-future";
import type { BillingSettings } from "@/lib/billing/billing-settings";
import { openTestDatabase } from "@/test/support/database";
import { jst, type PlanInput, setupClockCustomer, setupTestMerchant, type TestMerchant } from "@/test/support/merchant";
import { advanceTestClock } from "./advance-test-clock";
import { cancelSubscription } from "./cancel-subscription";
import { changePlan } from "./change-plan";
import { createPlan } from "./create-plan";
import { createSubscription } from "./create-subscription";
import { pauseSubscription } from "./pause-subscription";
import { getContractFuture } from "./queries/contract-future";

/**
 * "この先12か月" must agree with what a test clock actually does: each contract is predicted at its clock's time,
 * then its clock is advanced through the 12 months, a month at a time as a person would, and every charge attempt
 * (time, amount, invoice, outcome), every mail the course sends and the contract's end are compared, exactly.
 */
describe("a contract's next 12 months agree with its test clock", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => database.close());

  type Setup = Awaited<ReturnType<typeof setupClockCustomer>>;

  async function signedUp(m: TestMerchant, plan: PlanInput, start: Date) {
    const setup = await setupClockCustomer(m, { start, plan });
    const subscription = await createSubscription(m.ctx(), { customerId: setup.customer.id, planId: setup.plan.id });
    return { ...setup, subscription };
  }

  /** What the contract went through after `since` (attempts, and mails other than receipts and decline notices). */
  async function happenedSince(subscriptionId: string, since: { attempts: Set<string>; mails: Set<string> }) {
    const db = database.db;
    const attempts = await db
      .select({ id: paymentAttempts.id, at: paymentAttempts.attemptedAt, amount: paymentAttempts.amount, status: paymentAttempts.status, attempt: paymentAttempts.attemptNumber, invoice: invoices })
      .from(paymentAttempts)
      .innerJoin(invoices, eq(invoices.id, paymentAttempts.invoiceId))
      .where(eq(invoices.subscriptionId, subscriptionId))
      .orderBy(asc(paymentAttempts.attemptedAt), asc(paymentAttempts.id));
    const sent = await db
      .select({ id: mails.id, template: mails.template, at: mails.queuedAt })
      .from(mails)
      .where(eq(mails.subscriptionId, subscriptionId))
      .orderBy(asc(mails.queuedAt), asc(mails.id));
    const [sub] = await db.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId));
    return {
      charges: attempts
        .filter((a) => !since.attempts.has(a.id))
        .map((a) => ({ at: a.at, amount: a.amount, kind: a.invoice.kind, periodStart: a.invoice.periodStart, periodEnd: a.invoice.periodEnd, attempt: a.attempt, outcome: a.status === "succeeded" ? "paid" : "declined" })),
      mails: sent.filter((x) => !since.mails.has(x.id) && x.template !== "charge_failed" && x.template !== "charge_succeeded").map((x) => ({ at: x.at, template: x.template })),
      sub: sub!,
      seen: { attempts: new Set(attempts.map((a) => a.id)), mails: new Set(sent.map((x) => x.id)) },
    };
  }

  /** Predicts the contract at its clock's time, advances the clock through the horizon, and compares. */
  async function expectAgreement(m: TestMerchant, setup: Setup, subscriptionId: string, options: { cardFails: boolean }) {
    const before = await happenedSince(subscriptionId, { attempts: new Set(), mails: new Set() });
    const future = await getContractFuture(m.ctx(), subscriptionId, options);
    const [clock] = await database.db.select().from(testClocks).where(eq(testClocks.id, setup.clock.id));
    const from = clock!.frozenTime;
    expect(future.from).toEqual(from);
    let t = from;
    while (t < future.until) {
      const next = startOfLocalDay(localDateOf(t, "Asia/Tokyo").add({ months: 1 }), "Asia/Tokyo");
      t = next < future.until ? next : future.until;
      await advanceTestClock(m.ctx(), { testClockId: setup.clock.id, frozenTime: t });
    }
    const after = await happenedSince(subscriptionId, before.seen);
    expect(after.charges).toEqual(
      futureCharges(future).map((c) => ({ at: c.at, amount: c.amount.amount, kind: c.invoiceKind, periodStart: c.periodStart, periodEnd: c.periodEnd, attempt: c.attempt, outcome: c.outcome })),
    );
    expect(after.mails).toEqual(future.events.flatMap((e) => (e.type === "mail" ? [{ at: e.at, template: e.template }] : [])));
    expect(after.sub.status).toBe(future.finalStatus);
    const ended = future.events.find((e) => e.type === "status" && (e.to === "withdrawn" || e.to === "canceled"));
    expect(after.sub.endedAt).toEqual(ended?.at ?? before.sub.endedAt);
    return { future, after };
  }

  it("monthly on day 31 (日割 first period), through February", async () => {
    const m = await setupTestMerchant(database);
    const c = await signedUp(m, { amount: 3100, interval: "month", billingDay: 31, firstPeriod: "prorate" }, jst("2027-12-20T15:00:00"));
    const { future } = await expectAgreement(m, c, c.subscription.id, { cardFails: false });
    const charges = futureCharges(future);
    expect(charges).toHaveLength(12);
    expect(charges.slice(0, 3).map((x) => x.at)).toEqual([jst("2027-12-31T00:00:00"), jst("2028-01-31T00:00:00"), jst("2028-02-29T00:00:00")]);
    expect(charges.every((x) => x.amount.amount === 3100 && x.outcome === "paid")).toBe(true);
  });

  it("weekly, and yearly with tax added on top", async () => {
    const m = await setupTestMerchant(database);
    const weekly = await signedUp(m, { amount: 980, interval: "week" }, jst("2027-03-03T10:00:00"));
    const { future: w } = await expectAgreement(m, weekly, weekly.subscription.id, { cardFails: false });
    expect(futureCharges(w).length).toBeGreaterThanOrEqual(52);
    const yearly = await signedUp(m, { amount: 12_345, interval: "year", taxBehavior: "exclusive", taxRate: 8 }, jst("2027-05-10T10:00:00"));
    const { future: y } = await expectAgreement(m, yearly, yearly.subscription.id, { cardFails: false });
    // 12,345 + ⌊12,345 × 8%⌋ = 13,332, charged on the anniversary, which is the horizon itself.
    expect(futureCharges(y).map((x) => [x.at, x.amount.amount])).toEqual([[jst("2028-05-10T00:00:00"), 13_332]]);
  });

  it("a trial with a reminder, converting with its joining fee and a 日割 first period", async () => {
    const m = await setupTestMerchant(database);
    const c = await signedUp(m, { amount: 6000, interval: "month", billingDay: 1, firstPeriod: "prorate", joiningFee: 5000, trialDays: 14, trialReminderDays: 3 }, jst("2027-04-10T12:00:00"));
    const { future } = await expectAgreement(m, c, c.subscription.id, { cardFails: false });
    const [first] = futureCharges(future);
    expect(first).toMatchObject({ invoiceKind: "first", joiningFee: true, prorated: true, at: jst("2027-04-24T00:00:00") });
    expect(future.events.some((e) => e.type === "mail" && e.template === "trial_ending")).toBe(true);
  });

  it("set to cancel at its period end: nothing charged, the contract ends on its paid-through date", async () => {
    const m = await setupTestMerchant(database);
    const c = await signedUp(m, { amount: 3000, interval: "month" }, jst("2027-06-15T09:00:00"));
    await cancelSubscription(m.ctx(), { subscriptionId: c.subscription.id, atPeriodEnd: true });
    const { future } = await expectAgreement(m, c, c.subscription.id, { cardFails: true });
    expect(futureCharges(future)).toEqual([]);
    expect(future.finalStatus).toBe("canceled");
  });

  it("paused with a resume date after its paid-through date: restarted and charged that day", async () => {
    const m = await setupTestMerchant(database);
    const c = await signedUp(m, { amount: 4000, interval: "month" }, jst("2027-01-10T12:00:00"));
    await pauseSubscription(m.ctx(), { subscriptionId: c.subscription.id, resumeAt: jst("2027-03-05T09:00:00") });
    const { future } = await expectAgreement(m, c, c.subscription.id, { cardFails: false });
    expect(futureCharges(future)[0]).toMatchObject({ at: jst("2027-03-05T09:00:00"), invoiceKind: "renewal" });
  });

  it("a plan change scheduled for the period end bills the new plan from the next renewal", async () => {
    const m = await setupTestMerchant(database);
    const c = await signedUp(m, { amount: 3000, interval: "month" }, jst("2027-02-01T12:00:00"));
    const target = await createPlan(m.ctx(), { productId: c.product.id, name: "年額", amount: 30_000, interval: "year" });
    await changePlan(m.ctx(), { subscriptionId: c.subscription.id, planId: target.id, when: "period_end" });
    const { future } = await expectAgreement(m, c, c.subscription.id, { cardFails: false });
    expect(futureCharges(future).map((x) => [x.planName, x.amount.amount])).toEqual([["年額", 30_000]]);
  });

  it("a declined card that is never fixed: retries, notices and withdrawal as predicted, then nothing", async () => {
    const m = await setupTestMerchant(database);
    const c = await signedUp(m, { amount: 3000, interval: "month" }, jst("2027-01-10T12:00:00"));
    await m.gateway.testControls.setCardBehavior(c.paymentMethod.gatewayRef, "decline");
    const { future, after } = await expectAgreement(m, c, c.subscription.id, { cardFails: true });
    // The renewal and its two retries (+7, +14 days) are declined; the dunning timeline then runs to withdrawal.
    expect(futureCharges(future).map((x) => [x.at, x.outcome])).toEqual([
      [jst("2027-02-10T00:00:00"), "declined"],
      [jst("2027-02-17T00:00:00"), "declined"],
      [jst("2027-02-24T00:00:00"), "declined"],
    ]);
    expect(after.mails.map((x) => x.template)).toEqual(["unpaid_notice", "final_notice", "withdrawal_notice"]);
    expect(future.finalStatus).toBe("withdrawn");
  });

  it("declined with withdrawal turned off: the notices go out and the contract stays unpaid", async () => {
    const settings: Partial<BillingSettings> = { retryScheduleDays: [3], dunning: { notices: [{ template: "unpaid_notice", daysAfterPaidThrough: 1 }], withdraw: { enabled: false, hoursAfterLastNotice: 1 } } };
    const m = await setupTestMerchant(database, { settings });
    const c = await signedUp(m, { amount: 2500, interval: "week" }, jst("2027-08-02T08:00:00"));
    await m.gateway.testControls.setCardBehavior(c.paymentMethod.gatewayRef, "insufficient_funds");
    const { future } = await expectAgreement(m, c, c.subscription.id, { cardFails: true });
    expect(future.withdrawalDisabled).toBe(true);
    expect(future.finalStatus).toBe("unpaid");
    expect(futureCharges(future)).toHaveLength(2);
  });

  it("a trial whose card fails at conversion, and a paused contract restarting on a failing card", async () => {
    const m = await setupTestMerchant(database);
    const trial = await signedUp(m, { amount: 2000, interval: "month", trialDays: 30 }, jst("2027-03-01T09:00:00"));
    await m.gateway.testControls.setCardBehavior(trial.paymentMethod.gatewayRef, "decline");
    const { future: t } = await expectAgreement(m, trial, trial.subscription.id, { cardFails: true });
    expect(futureCharges(t)[0]).toMatchObject({ invoiceKind: "first", outcome: "declined" });
    expect(t.finalStatus).toBe("withdrawn");

    const paused = await signedUp(m, { amount: 4000, interval: "month" }, jst("2027-01-10T12:00:00"));
    await pauseSubscription(m.ctx(), { subscriptionId: paused.subscription.id, resumeAt: jst("2027-03-05T09:00:00") });
    await m.gateway.testControls.setCardBehavior(paused.paymentMethod.gatewayRef, "insufficient_funds");
    const { future: p } = await expectAgreement(m, paused, paused.subscription.id, { cardFails: true });
    expect(p.events.find((e) => e.type === "status")).toMatchObject({ at: jst("2027-03-05T09:00:00"), from: "paused", to: "active" });
  });

  it("a merchant in London: renewals at local midnight across the clock change", async () => {
    const m = await setupTestMerchant(database, { timeZone: "Europe/London" });
    const c = await signedUp(m, { amount: 1500, currency: "gbp", interval: "month" }, new Date("2027-02-20T10:00:00Z"));
    const { future } = await expectAgreement(m, c, c.subscription.id, { cardFails: false });
    // 00:00 in London is 00:00 UTC in winter and 23:00 UTC the day before in summer.
    expect(futureCharges(future).slice(0, 2).map((x) => x.at)).toEqual([new Date("2027-03-20T00:00:00Z"), new Date("2027-04-19T23:00:00Z")]);
  });

  it("a past-due contract whose next retry succeeds recovers, and renews from the payment", async () => {
    const m = await setupTestMerchant(database);
    const c = await signedUp(m, { amount: 3000, interval: "month" }, jst("2027-01-10T12:00:00"));
    await m.gateway.testControls.setCardBehavior(c.paymentMethod.gatewayRef, "decline");
    await advanceTestClock(m.ctx(), { testClockId: c.clock.id, frozenTime: jst("2027-02-12T00:00:00") });
    await m.gateway.testControls.setCardBehavior(c.paymentMethod.gatewayRef, "succeed");
    const { future } = await expectAgreement(m, c, c.subscription.id, { cardFails: false });
    expect(futureCharges(future)[0]).toMatchObject({ at: jst("2027-02-17T00:00:00"), reason: "retry", attempt: 2, outcome: "paid" });
    expect(future.events).toContainEqual({ type: "status", at: jst("2027-02-17T00:00:00"), from: "past_due", to: "active" });
  });
});
