import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { invoiceLines, sandboxCharges } from "@/db/schema";
import { openTestDatabase } from "@/test/support/database";
import { contractHistory, jst, type PlanInput, rejection, setupTestMerchant, signedUpContract, type TestMerchant } from "@/test/support/merchant";
import { advanceTestClock } from "./advance-test-clock";
import { changePlan, previewPlanChange } from "./change-plan";
import { createPlan } from "./create-plan";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

async function linesOf(invoiceId: string) {
  const rows = await database.db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId)).orderBy(asc(invoiceLines.position));
  return rows.map((l) => [l.kind, l.amount]);
}

/** A contract on a 3,000 JPY monthly plan signed up on 2027-01-01 10:00 JST (paid through Feb 1), and another plan of its product. */
async function contractAndPlan(m: TestMerchant, other: PlanInput, base: PlanInput = { amount: 3000, interval: "month" }) {
  const setup = await signedUpContract(m, base, jst("2027-01-01T10:00:00"));
  const target = await createPlan(m.ctx(), { ...other, productId: setup.product.id, name: "変更先" });
  return { ...setup, target };
}

describe("change plan", () => {
  it("upgrades now with daily proration: the old plan's unused days credited, the new plan's charged, in one invoice", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription, target, paymentMethod } = await contractAndPlan(m, { amount: 6000, interval: "month" });
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-01-17T15:00:00") });
    // Jan 17 → Feb 1: 15 of 31 days. ⌊6,000 × 15/31⌋ = 2,903 charged, ⌊3,000 × 15/31⌋ = 1,451 credited.
    const preview = await previewPlanChange(m.ctx(), { subscriptionId: subscription.id, planId: target.id });
    expect(preview.invoice).toMatchObject({ total: 1452, creditApplied: 0, creditCarried: 0 });
    expect(preview.invoice!.lines.map((l) => [l.kind, l.amount])).toEqual([
      ["proration", 2903],
      ["proration_credit", -1451],
    ]);
    expect(preview.nextRenewal).toEqual({ at: jst("2027-02-01T00:00:00"), total: 6000, currency: "jpy" });
    expect((await contractHistory(database, subscription.id)).invoices).toHaveLength(1);

    const changed = await changePlan(m.ctx(), { subscriptionId: subscription.id, planId: target.id });
    expect(changed).toMatchObject({ planId: target.id, status: "active", paidThrough: jst("2027-02-01T00:00:00"), creditBalance: 0 });
    let h = await contractHistory(database, subscription.id);
    const change = h.invoices.at(-1)!;
    expect(change).toMatchObject({ kind: "plan_change", status: "paid", total: 1452, planId: target.id });
    expect(await linesOf(change.id)).toEqual([
      ["proration", 2903],
      ["proration_credit", -1451],
    ]);
    expect(h.attempts.at(-1)).toMatchObject({ trigger: "plan_change", amount: 1452, status: "succeeded" });
    expect(h.mails.map((x) => x.template)).toEqual(["welcome", "charge_succeeded", "plan_changed", "charge_succeeded"]);

    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-01T12:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.invoices.at(-1)).toMatchObject({ kind: "renewal", total: 6000, planId: target.id });
    const charges = await database.db.select().from(sandboxCharges).where(eq(sandboxCharges.cardRef, paymentMethod.gatewayRef));
    expect(charges.map((c) => c.amount).sort((a, b) => a - b)).toEqual([1452, 3000, 6000]);
  });

  it("downgrades now: the net credit is carried, never paid out, and taken off the next renewal", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription, target, paymentMethod } = await contractAndPlan(m, { amount: 1000, interval: "month" });
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-01-17T15:00:00") });
    // ⌊1,000 × 15/31⌋ = 483 charged, 1,451 credited: 968 carried.
    const changed = await changePlan(m.ctx(), { subscriptionId: subscription.id, planId: target.id });
    expect(changed).toMatchObject({ planId: target.id, creditBalance: 968 });
    let h = await contractHistory(database, subscription.id);
    expect(h.invoices.at(-1)).toMatchObject({ kind: "plan_change", status: "paid", total: 0 });
    expect(await linesOf(h.invoices.at(-1)!.id)).toEqual([
      ["proration", 483],
      ["proration_credit", -1451],
      ["credit_carried", 968],
    ]);

    // Feb: 1,000 − 968 = 32 charged; Mar: 1,000.
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-03-01T12:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.invoices.filter((i) => i.kind === "renewal").map((i) => [i.total, i.creditApplied])).toEqual([
      [32, 968],
      [1000, 0],
    ]);
    expect(h.sub.creditBalance).toBe(0);
    const charges = await database.db.select().from(sandboxCharges).where(eq(sandboxCharges.cardRef, paymentMethod.gatewayRef));
    expect(charges.map((c) => c.amount)).toEqual([3000, 32, 1000]);
  });

  it("credit taken off a renewal that is never paid goes back to the contract", async () => {
    const m = await setupTestMerchant(database, { settings: { retryScheduleDays: [1], dunning: { notices: [], withdraw: { enabled: true, hoursAfterLastNotice: 1 } } } });
    const { clock, subscription, target, paymentMethod } = await contractAndPlan(m, { amount: 1000, interval: "month" });
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-01-17T15:00:00") });
    await changePlan(m.ctx(), { subscriptionId: subscription.id, planId: target.id });
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "decline");
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-01T12:00:00") });
    let h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "past_due", creditBalance: 0 });
    expect(h.invoices.at(-1)).toMatchObject({ kind: "renewal", status: "open", total: 32, creditApplied: 968 });
    // The retry fails, the contract is withdrawn and the renewal written off: its credit is the customer's again.
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-03T12:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "withdrawn", creditBalance: 968 });
    expect(h.invoices.at(-1)).toMatchObject({ status: "uncollectible", creditApplied: 968 });
  });

  it("changes to a yearly plan now: the new cycle starts today, the unused month credited", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription, target } = await contractAndPlan(m, { amount: 30000, interval: "year" });
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-01-17T15:00:00") });
    const changed = await changePlan(m.ctx(), { subscriptionId: subscription.id, planId: target.id });
    expect(changed).toMatchObject({ planId: target.id, billingAnchor: 17, currentPeriodStart: jst("2027-01-17T15:00:00"), paidThrough: jst("2028-01-17T00:00:00") });
    const h = await contractHistory(database, subscription.id);
    expect(await linesOf(h.invoices.at(-1)!.id)).toEqual([
      ["period", 30000],
      ["proration_credit", -1451],
    ]);
    expect(h.invoices.at(-1)!.total).toBe(28549);
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2028-01-17T00:00:00")]]);
  });

  it("at period end: nothing now; the next renewal bills the new plan (a new cycle when the interval changes)", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription, target } = await contractAndPlan(m, { amount: 30000, interval: "year" });
    const preview = await previewPlanChange(m.ctx(), { subscriptionId: subscription.id, planId: target.id, when: "period_end" });
    expect(preview).toMatchObject({ invoice: null, nextRenewal: { at: jst("2027-02-01T00:00:00"), total: 30000 } });
    const pending = await changePlan(m.ctx(), { subscriptionId: subscription.id, planId: target.id, when: "period_end" });
    expect(pending).toMatchObject({ planId: subscription.planId, pendingPlanId: target.id });
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-01T12:00:00") });
    const h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ planId: target.id, pendingPlanId: null, paidThrough: jst("2028-02-01T00:00:00") });
    expect(h.invoices.at(-1)).toMatchObject({ kind: "renewal", total: 30000, planId: target.id, periodEnd: jst("2028-02-01T00:00:00") });
  });

  it("a declined upgrade changes nothing; changing to the current plan withdraws a pending change", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription, target, paymentMethod, plan } = await contractAndPlan(m, { amount: 6000, interval: "month" });
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-01-17T15:00:00") });
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "lost_card");
    const declined = await rejection(changePlan(m.ctx(), { subscriptionId: subscription.id, planId: target.id }));
    expect(declined).toMatchObject({ code: "payment_declined", details: { declineCode: "lost_card", declineKind: "hard" } });
    let h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ planId: plan.id, status: "active", creditBalance: 0 });
    expect(h.invoices.at(-1)).toMatchObject({ kind: "plan_change", status: "void" });

    await changePlan(m.ctx(), { subscriptionId: subscription.id, planId: target.id, when: "period_end" });
    await changePlan(m.ctx(), { subscriptionId: subscription.id, planId: plan.id });
    h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ planId: plan.id, pendingPlanId: null });
    expect(await rejection(changePlan(m.ctx(), { subscriptionId: subscription.id, planId: plan.id }))).toMatchObject({ code: "conflict", details: { reason: "same_plan" } });
  });

  it("without proration: the new plan at once, billed from the paid-through date, nothing charged now", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription, target } = await contractAndPlan(m, { amount: 6000, interval: "month" });
    await changePlan(m.ctx(), { subscriptionId: subscription.id, planId: target.id, proration: "none" });
    let h = await contractHistory(database, subscription.id);
    expect(h.sub.planId).toBe(target.id);
    expect(h.invoices).toHaveLength(1);
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-01T12:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.invoices.at(-1)).toMatchObject({ kind: "renewal", total: 6000, periodStart: jst("2027-02-01T00:00:00") });
  });

  it("two presses at once charge the change once", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription, target, paymentMethod } = await contractAndPlan(m, { amount: 6000, interval: "month" });
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-01-17T15:00:00") });
    const results = await Promise.allSettled([changePlan(m.ctx(), { subscriptionId: subscription.id, planId: target.id }), changePlan(m.ctx(), { subscriptionId: subscription.id, planId: target.id })]);
    expect(results.some((r) => r.status === "fulfilled")).toBe(true);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "conflict" });
    const charges = await database.db.select().from(sandboxCharges).where(eq(sandboxCharges.cardRef, paymentMethod.gatewayRef));
    expect(charges.map((c) => c.amount)).toEqual([3000, 1452]);
    expect((await contractHistory(database, subscription.id)).invoices.filter((i) => i.kind === "plan_change")).toHaveLength(1);
  });
});
