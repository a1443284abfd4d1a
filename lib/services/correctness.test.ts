import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { invoiceLines, sandboxCharges, scheduledActions, subscriptions, testClocks, usageRecords } from "@/db/schema";
import { runDueBatch } from "@/lib/runner/embedded-runner";
import { openTestDatabase } from "@/test/support/database";
import { contractHistory, jst, type PlanInput, rejection, setupClockCustomer, setupTestMerchant, signedUpContract } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import { ADVANCE_LEASE_MS, advanceTestClock, beginTestClockAdvance, finishAbandonedClockAdvances } from "./advance-test-clock";
import { cancelSubscription } from "./cancel-subscription";
import { fixedClock } from "./context";
import { createSubscription } from "./create-subscription";
import { planActions } from "./internal/scheduled-actions";
import { recordUsage } from "./record-usage";
import { resumeSubscription } from "./resume-subscription";
import { runDueAction, runDueActions } from "./run-due-actions";

/** The cases of issue 8 §1: each failed before the engine was reshaped. */

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

async function linesOf(invoiceId: string) {
  const rows = await database.db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId)).orderBy(asc(invoiceLines.position));
  return rows.map((l) => [l.kind, l.amount, l.periodStart, l.periodEnd]);
}

describe("resume after cancel now", () => {
  it("with the month still paid: restored with no charge, renewed on the paid-through date, no period billed twice", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription, paymentMethod } = await signedUpContract(m, { amount: 3000, interval: "month" }, jst("2027-06-01T10:00:00"));
    await cancelSubscription(m.ctx(), { subscriptionId: subscription.id, atPeriodEnd: false });
    const resumed = await resumeSubscription(m.ctx(), { subscriptionId: subscription.id });
    expect(resumed).toMatchObject({ status: "active", paidThrough: jst("2027-07-01T00:00:00"), endedAt: null, canceledAt: null });
    let h = await contractHistory(database, subscription.id);
    expect(h.invoices.map((i) => [i.kind, i.status, i.periodStart, i.periodEnd])).toEqual([["first", "paid", jst("2027-06-01T10:00:00"), jst("2027-07-01T00:00:00")]]);
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-07-01T00:00:00")]]);
    expect(h.mails.map((x) => x.template)).toEqual(["welcome", "charge_succeeded", "canceled", "resumed"]);

    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-07-01T12:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.invoices.map((i) => [i.kind, i.status, i.periodStart, i.periodEnd])).toEqual([
      ["first", "paid", jst("2027-06-01T10:00:00"), jst("2027-07-01T00:00:00")],
      ["renewal", "paid", jst("2027-07-01T00:00:00"), jst("2027-08-01T00:00:00")],
    ]);
    const charges = await database.db.select().from(sandboxCharges).where(eq(sandboxCharges.cardRef, paymentMethod.gatewayRef));
    expect(charges.map((c) => [c.amount, c.outcome])).toEqual([
      [3000, "succeeded"],
      [3000, "succeeded"],
    ]);
  });

  it("after the paid-through date: a new period from the resume date, charged by the plan's rule", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription } = await signedUpContract(m, { amount: 3000, interval: "month" }, jst("2027-06-01T10:00:00"));
    await cancelSubscription(m.ctx(), { subscriptionId: subscription.id, atPeriodEnd: false });
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-07-20T15:00:00") });
    const resumed = await resumeSubscription(m.ctx(), { subscriptionId: subscription.id });
    expect(resumed).toMatchObject({ status: "active", currentPeriodStart: jst("2027-07-20T15:00:00"), paidThrough: jst("2027-08-20T00:00:00"), billingAnchor: 20 });
    const h = await contractHistory(database, subscription.id);
    expect(h.invoices.map((i) => [i.kind, i.status, i.total, i.periodStart, i.periodEnd])).toEqual([
      ["first", "paid", 3000, jst("2027-06-01T10:00:00"), jst("2027-07-01T00:00:00")],
      ["resume", "paid", 3000, jst("2027-07-20T15:00:00"), jst("2027-08-20T00:00:00")],
    ]);
  });

  it("canceled now in a trial and resumed before its end: the same trial goes on, nothing charged", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription } = await signedUpContract(m, { amount: 3000, interval: "month", trialDays: 14, trialReminderDays: 3, joiningFee: 1000 }, jst("2027-06-01T10:00:00"));
    await cancelSubscription(m.ctx(), { subscriptionId: subscription.id, atPeriodEnd: false });
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-06-05T09:00:00") });
    const resumed = await resumeSubscription(m.ctx(), { subscriptionId: subscription.id });
    expect(resumed).toMatchObject({ status: "trialing", trialEnd: jst("2027-06-15T00:00:00"), paidThrough: jst("2027-06-15T00:00:00") });
    let h = await contractHistory(database, subscription.id);
    expect(h.invoices).toEqual([]);
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([
      ["trial_reminder", jst("2027-06-12T00:00:00")],
      ["trial_end", jst("2027-06-15T00:00:00")],
    ]);
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-06-15T09:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.invoices.map((i) => [i.kind, i.status, i.total])).toEqual([["first", "paid", 4000]]);
  });
});

describe("an action whose contract is gone", () => {
  it("ends as failed with the reason on the action, and does not hold up the others", async () => {
    const m = await setupTestMerchant(database, { now: jst("2027-01-10T12:00:00") });
    const trial = await signedUpContract(m, { amount: 3000, interval: "month", trialDays: 14 });
    const paying = await signedUpContract(m);
    const [trialEnd] = (await contractHistory(database, trial.subscription.id)).pending;
    // A contract deleted behind the engine's back (its trial never issued an invoice), and one that never was.
    await database.db.delete(subscriptions).where(eq(subscriptions.id, trial.subscription.id));
    await planActions(database.db, [{ merchantId: m.merchantId, kind: "renewal", dueAt: jst("2027-01-11T00:00:00"), key: "renewal:sub_never:x", subscriptionId: "sub_never" }]);
    const [never] = await database.db.select().from(scheduledActions).where(eq(scheduledActions.idempotencyKey, "renewal:sub_never:x"));
    const [renewal] = (await contractHistory(database, paying.subscription.id)).pending;

    const run = testPlatform(database.db, { gateway: m.gateway, clock: fixedClock(jst("2027-02-10T12:00:00")) });
    const outcomes = await runDueActions(run, [never!.id, trialEnd!.id, renewal!.id]);
    expect(outcomes).toEqual([
      { actionId: never!.id, outcome: "contract_missing" },
      { actionId: trialEnd!.id, outcome: "contract_missing" },
      expect.objectContaining({ actionId: renewal!.id, outcome: "paid" }),
    ]);
    const rows = await database.db.select().from(scheduledActions).where(eq(scheduledActions.merchantId, m.merchantId));
    for (const id of [never!.id, trialEnd!.id]) {
      expect(rows.find((r) => r.id === id)).toMatchObject({ status: "failed", outcome: "contract_missing", lastError: "contract_missing", completedAt: jst("2027-02-10T12:00:00") });
    }
    // Run again: nothing more happens to it.
    expect(await runDueAction(run, never!.id)).toEqual({ actionId: never!.id, outcome: "already_failed" });
  });

  it("is finished by the runner instead of being claimed again and again", async () => {
    const m = await setupTestMerchant(database);
    const dueAt = new Date(Date.now() - 60_000);
    await planActions(database.db, [{ merchantId: m.merchantId, kind: "withdrawal", dueAt, key: `withdrawal:in_gone:${m.merchantId}`, subscriptionId: "sub_gone", invoiceId: "in_gone" }]);
    const platform = testPlatform(database.db, { gateway: m.gateway });
    const errors: unknown[] = [];
    for (let pass = 0; pass < 3; pass++) await runDueBatch({ platform, batchSize: 500, concurrency: 4, leaseSeconds: 60, onError: (_id, error) => errors.push(error) });
    const [row] = await database.db.select().from(scheduledActions).where(eq(scheduledActions.merchantId, m.merchantId));
    expect(row).toMatchObject({ status: "failed", outcome: "contract_missing", runCount: 1 });
    expect(errors).toEqual([]);
  });
});

describe("usage of a contract's last period", () => {
  const metered: PlanInput = { amount: 3000, interval: "month", usageRates: [{ metric: "lessons", unitAmount: 500 }] };

  it("set to end at period end: billed on a final invoice when it ends", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription } = await signedUpContract(m, metered);
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-01-20T10:00:00") });
    await recordUsage(m.ctx(), { subscriptionId: subscription.id, metric: "lessons", quantity: 3 });
    await cancelSubscription(m.ctx(), { subscriptionId: subscription.id });
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-15T00:00:00") });

    const h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "canceled", endedAt: jst("2027-02-10T00:00:00"), overdueInvoiceId: null });
    expect(h.invoices.map((i) => [i.kind, i.status, i.total, i.paidAt])).toEqual([
      ["first", "paid", 3000, jst("2027-01-10T12:00:00")],
      ["final", "paid", 1500, jst("2027-02-10T00:00:00")],
    ]);
    const final = h.invoices[1]!;
    expect((await linesOf(final.id)).map(([kind, amount]) => [kind, amount])).toEqual([["usage", 1500]]);
    const usage = await database.db.select().from(usageRecords).where(eq(usageRecords.subscriptionId, subscription.id));
    expect(usage.map((u) => u.invoiceId)).toEqual([final.id]);
    expect(h.mails.filter((x) => x.template === "charge_succeeded").map((x) => x.invoiceId)).toEqual([h.invoices[0]!.id, final.id]);
    expect(h.pending).toEqual([]);
  });

  it("canceled now: billed at once; a final invoice declined is retried on the schedule, then written off", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription, paymentMethod } = await signedUpContract(m, metered);
    await recordUsage(m.ctx(), { subscriptionId: subscription.id, metric: "lessons", quantity: 2 });
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "decline");
    await cancelSubscription(m.ctx(), { subscriptionId: subscription.id, atPeriodEnd: false });
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-01-10T12:00:01") });
    let h = await contractHistory(database, subscription.id);
    const final = h.invoices.find((i) => i.kind === "final")!;
    expect(final).toMatchObject({ status: "open", total: 1000 });
    expect(h.sub).toMatchObject({ status: "canceled", overdueInvoiceId: null });
    expect(h.pending.map((a) => [a.kind, a.invoiceId, a.dueAt])).toEqual([
      ["final_invoice", final.id, jst("2027-01-17T12:00:00")],
      ["final_invoice", final.id, jst("2027-01-24T12:00:00")],
    ]);
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-01T00:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.invoices.find((i) => i.kind === "final")).toMatchObject({ status: "uncollectible", attemptCount: 3 });
    expect(h.sub).toMatchObject({ status: "canceled" });
    expect(h.pending).toEqual([]);
  });

  it("a contract resumed while its final invoice is still being retried: the invoice keeps its own course", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription, paymentMethod } = await signedUpContract(m, metered);
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-05T10:00:00") });
    await recordUsage(m.ctx(), { subscriptionId: subscription.id, metric: "lessons", quantity: 2 });
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "decline");
    await cancelSubscription(m.ctx(), { subscriptionId: subscription.id, atPeriodEnd: false });
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-05T11:00:00") });
    // Paid through Feb 10 still: restored with no charge; the renewal on Feb 10 is declined, as the final invoice was.
    await resumeSubscription(m.ctx(), { subscriptionId: subscription.id });
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-11T00:00:00") });
    let h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("past_due");
    const final = h.invoices.find((i) => i.kind === "final")!;
    expect(h.pending.filter((a) => a.invoiceId === final.id).map((a) => [a.kind, a.dueAt])).toEqual([
      ["final_invoice", jst("2027-02-12T10:00:00")],
      ["final_invoice", jst("2027-02-19T10:00:00")],
    ]);
    // The card is fixed: the final invoice's retry collects it, and the renewal's retry the contract.
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "succeed");
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-20T00:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.invoices.map((i) => [i.kind, i.status])).toEqual([
      ["first", "paid"],
      ["final", "paid"],
      ["renewal", "paid"],
    ]);
    expect(h.sub.status).toBe("active");
  });
});

describe("a test clock left advancing by a crash", () => {
  async function crashedClock() {
    const m = await setupTestMerchant(database, { now: jst("2027-01-10T12:00:00") });
    const setup = await setupClockCustomer(m, { start: jst("2027-01-10T12:00:00"), plan: { amount: 3000, interval: "month" } });
    const subscription = await createSubscription(m.ctx(), { customerId: setup.customer.id, planId: setup.plan.id });
    // The process that began this advance died before it ran anything.
    await beginTestClockAdvance(m.ctx(), { testClockId: setup.clock.id, frozenTime: jst("2027-02-15T00:00:00") });
    return { m, clock: setup.clock, subscription };
  }
  const afterLease = fixedClock(new Date(jst("2027-01-10T12:00:00").getTime() + ADVANCE_LEASE_MS + 1000));

  it("is refused while its advance still holds the clock, then taken over by the next advance", async () => {
    const { m, clock, subscription } = await crashedClock();
    expect(await rejection(advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-03-01T00:00:00") }))).toMatchObject({ code: "conflict", details: { reason: "clock_advancing" } });
    const ready = await advanceTestClock(m.ctx(afterLease), { testClockId: clock.id, frozenTime: jst("2027-02-01T00:00:00") });
    // The later of the two targets wins: nothing the crashed advance was asked to reach is lost.
    expect(ready).toMatchObject({ status: "ready", frozenTime: jst("2027-02-15T00:00:00"), targetTime: null, advanceLeaseUntil: null });
    expect((await contractHistory(database, subscription.id)).invoices.map((i) => i.kind)).toEqual(["first", "renewal"]);
  });

  it("is finished by the runner", async () => {
    const { m, clock, subscription } = await crashedClock();
    expect(await finishAbandonedClockAdvances(testPlatform(database.db, { gateway: m.gateway, clock: fixedClock(jst("2027-01-10T12:00:30")) }))).toBe(0);
    expect(await finishAbandonedClockAdvances(testPlatform(database.db, { gateway: m.gateway, clock: afterLease }))).toBeGreaterThanOrEqual(1);
    const [row] = await database.db.select().from(testClocks).where(eq(testClocks.id, clock.id));
    expect(row).toMatchObject({ status: "ready", frozenTime: jst("2027-02-15T00:00:00") });
    const h = await contractHistory(database, subscription.id);
    expect(h.invoices.map((i) => [i.kind, i.status])).toEqual([
      ["first", "paid"],
      ["renewal", "paid"],
    ]);
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-03-10T00:00:00")]]);
  });
});
