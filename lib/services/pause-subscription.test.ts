import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { openTestDatabase } from "@/test/support/database";
import { contractHistory, jst, rejection, setupTestMerchant, signedUpContract } from "@/test/support/merchant";
import { advanceTestClock } from "./advance-test-clock";
import { cancelSubscription } from "./cancel-subscription";
import { pauseSubscription } from "./pause-subscription";
import { resumeSubscription } from "./resume-subscription";
import { retryPayment } from "./retry-payment";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

/** Pause collection (停止) and un-pause, on test clocks. Contracts sign up on 2027-01-10 12:00 JST. */
describe("pause and un-pause", () => {
  it("charges nothing while paused; un-paused before the paid-through date, the renewal falls on it", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription } = await signedUpContract(m);
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-01-20T09:00:00") });
    const paused = await pauseSubscription(m.ctx(), { subscriptionId: subscription.id });
    expect(paused).toMatchObject({ status: "paused", pausedAt: jst("2027-01-20T09:00:00"), resumeAt: null, paidThrough: jst("2027-02-10T00:00:00") });
    let h = await contractHistory(database, subscription.id);
    expect(h.pending).toEqual([]);
    expect(h.mails.at(-1)!.template).toBe("paused");

    const unpaused = await resumeSubscription(m.ctx(), { subscriptionId: subscription.id });
    expect(unpaused).toMatchObject({ status: "active", pausedAt: null, paidThrough: jst("2027-02-10T00:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-02-10T00:00:00")]]);
    expect(h.invoices).toHaveLength(1);
  });

  it("un-pauses by itself at resume_at; after the paid-through date the new cycle starts that day, charged at once", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription } = await signedUpContract(m);
    await pauseSubscription(m.ctx(), { subscriptionId: subscription.id, resumeAt: jst("2027-04-05T09:00:00") });
    let h = await contractHistory(database, subscription.id);
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["unpause", jst("2027-04-05T09:00:00")]]);

    // February and March pass with no charge, no retry, no notice.
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-04-01T00:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("paused");
    expect(h.invoices.map((i) => i.kind)).toEqual(["first"]);

    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-04-06T00:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "active", pausedAt: null, resumeAt: null, billingAnchor: 5, currentPeriodStart: jst("2027-04-05T09:00:00"), paidThrough: jst("2027-05-05T00:00:00") });
    expect(h.invoices.map((i) => [i.kind, i.status, i.total, i.periodStart, i.periodEnd])).toEqual([
      ["first", "paid", 3000, jst("2027-01-10T12:00:00"), jst("2027-02-10T00:00:00")],
      ["renewal", "paid", 3000, jst("2027-04-05T09:00:00"), jst("2027-05-05T00:00:00")],
    ]);
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-05-05T00:00:00")]]);
    expect(h.mails.map((x) => x.template)).toEqual(["welcome", "charge_succeeded", "paused", "resumed", "charge_succeeded"]);
  });

  it("a plan with a billing day restarts prorated up to it (日割)", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription } = await signedUpContract(m, { amount: 3100, interval: "month", billingDay: 25, firstPeriod: "prorate" });
    await pauseSubscription(m.ctx(), { subscriptionId: subscription.id });
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-03-11T10:00:00") });
    const resumed = await resumeSubscription(m.ctx(), { subscriptionId: subscription.id });
    // Mar 11 → Mar 25 is 14 of the 28 days from Feb 25: ⌊3,100 × 14 / 28⌋ = 1,550.
    expect(resumed).toMatchObject({ status: "active", billingAnchor: 25, paidThrough: jst("2027-03-25T00:00:00") });
    const h = await contractHistory(database, subscription.id);
    expect(h.invoices.at(-1)).toMatchObject({ kind: "renewal", status: "paid", total: 1550 });
  });

  it("pauses a trial: its end date is kept; un-paused after it, the trial converts at once", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription } = await signedUpContract(m, { amount: 3000, interval: "month", trialDays: 14, trialReminderDays: 3, joiningFee: 2000 });
    await pauseSubscription(m.ctx(), { subscriptionId: subscription.id });
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-01T10:00:00") });
    let h = await contractHistory(database, subscription.id);
    expect(h.invoices).toEqual([]);
    expect(h.mails.map((x) => x.template)).toEqual(["welcome", "paused"]);
    await resumeSubscription(m.ctx(), { subscriptionId: subscription.id });
    h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "active", joiningFeePending: false, trialEnd: jst("2027-02-01T10:00:00"), paidThrough: jst("2027-03-01T00:00:00") });
    expect(h.invoices.map((i) => [i.kind, i.status, i.total])).toEqual([["first", "paid", 5000]]);
  });

  it("un-paused on a declined card: reported, and the contract is past due with its retries, as a renewal would be", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription, paymentMethod } = await signedUpContract(m);
    await pauseSubscription(m.ctx(), { subscriptionId: subscription.id });
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-03-01T10:00:00") });
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "insufficient_funds");
    const declined = await rejection(resumeSubscription(m.ctx(), { subscriptionId: subscription.id }));
    expect(declined).toMatchObject({ code: "payment_declined", details: { declineCode: "insufficient_funds", declineKind: "soft", subscriptionId: subscription.id } });
    const h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "past_due", paidThrough: jst("2027-03-01T10:00:00"), overdueInvoiceId: declined.details.invoiceId });
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([
      ["retry", jst("2027-03-08T10:00:00")],
      ["retry", jst("2027-03-15T10:00:00")],
    ]);
  });

  it("refuses an overdue or ending contract, and a second pause; a paused contract can be canceled", async () => {
    const m = await setupTestMerchant(database);
    const { subscription } = await signedUpContract(m);
    await cancelSubscription(m.ctx(), { subscriptionId: subscription.id });
    expect(await rejection(pauseSubscription(m.ctx(), { subscriptionId: subscription.id }))).toMatchObject({ code: "conflict", details: { reason: "already_canceling" } });
    await resumeSubscription(m.ctx(), { subscriptionId: subscription.id });

    await pauseSubscription(m.ctx(), { subscriptionId: subscription.id });
    expect(await rejection(pauseSubscription(m.ctx(), { subscriptionId: subscription.id }))).toMatchObject({ code: "conflict", details: { reason: "illegal_state" } });
    expect(await rejection(retryPayment(m.ctx(), { subscriptionId: subscription.id }))).toMatchObject({ code: "conflict", details: { reason: "nothing_owed" } });
    const canceled = await cancelSubscription(m.ctx(), { subscriptionId: subscription.id });
    expect(canceled).toMatchObject({ status: "canceled", pausedAt: null });
    expect((await contractHistory(database, subscription.id)).pending).toEqual([]);

    const other = await signedUpContract(m);
    await m.gateway.testControls.setCardBehavior(other.paymentMethod.gatewayRef, "decline");
    await advanceTestClock(m.ctx(), { testClockId: other.clock.id, frozenTime: jst("2027-02-11T00:00:00") });
    expect(await rejection(pauseSubscription(m.ctx(), { subscriptionId: other.subscription.id }))).toMatchObject({ code: "conflict", details: { reason: "illegal_state" } });
  });
});
