import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { invoiceLines, scheduledActions, usageRecords } from "@/db/schema";
import { openTestDatabase } from "@/test/support/database";
import { advanceTestClock } from "./advance-test-clock";
import { recordUsage } from "./record-usage";
import { retryPayment } from "./retry-payment";
import { contractHistory, jst, type PlanInput, rejection, setupTestMerchant, signedUpContract, type TestMerchant } from "@/test/support/merchant";

async function linesOf(database: Database, invoiceId: string) {
  const rows = await database.db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId)).orderBy(asc(invoiceLines.position));
  return rows.map((l) => [l.kind, l.quantity, l.amount]);
}

const metered: PlanInput = {
  amount: 3000,
  interval: "month",
  usageRates: [
    { metric: "lessons", unitAmount: 500 },
    { metric: "api_calls", unitAmount: 2 },
  ],
};

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

describe("usage records", () => {

  it("bills usage on the next renewal invoice as usage lines priced by the plan's rates", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, subscription } = await signedUpContract(m, metered);
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-01-20T10:00:00") });
    const record = await recordUsage(ctx, { subscriptionId: subscription.id, metric: "lessons", quantity: 2 });
    expect(record).toMatchObject({ metric: "lessons", quantity: 2, recordedAt: jst("2027-01-20T10:00:00"), invoiceId: null });
    await recordUsage(ctx, { subscriptionId: subscription.id, metric: "api_calls", quantity: 1200, timestamp: jst("2027-01-15T08:00:00") });
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-05T10:00:00") });
    await recordUsage(ctx, { subscriptionId: subscription.id, metric: "lessons", quantity: 1 });

    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-10T12:00:00") });
    // Recorded after the renewal: belongs to the next one.
    await recordUsage(ctx, { subscriptionId: subscription.id, metric: "lessons", quantity: 4 });
    let h = await contractHistory(database, subscription.id);
    const renewal = h.invoices.find((i) => i.kind === "renewal")!;
    expect(renewal).toMatchObject({ status: "paid", total: 3000 + 3 * 500 + 1200 * 2 });
    expect((await linesOf(database, renewal.id)).sort()).toEqual(
      [
        ["period", 1, 3000],
        ["usage", 3, 1500],
        ["usage", 1200, 2400],
      ].sort(),
    );
    expect(h.attempts.at(-1)).toMatchObject({ amount: 6900, status: "succeeded" });
    const billed = await database.db.select().from(usageRecords).where(eq(usageRecords.subscriptionId, subscription.id)).orderBy(asc(usageRecords.recordedAt));
    expect(billed.map((r) => [r.quantity, r.invoiceId])).toEqual([
      [1200, renewal.id],
      [2, renewal.id],
      [1, renewal.id],
      [4, null],
    ]);

    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-03-10T12:00:00") });
    h = await contractHistory(database, subscription.id);
    const next = h.invoices.filter((i) => i.kind === "renewal")[1]!;
    expect(await linesOf(database, next.id)).toEqual([
      ["period", 1, 3000],
      ["usage", 4, 2000],
    ]);
    expect(next.total).toBe(5000);
  });

  it("a renewal with no usage has only its period line", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, subscription } = await signedUpContract(m, metered);
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-10T12:00:00") });
    const renewal = (await contractHistory(database, subscription.id)).invoices.find((i) => i.kind === "renewal")!;
    expect(await linesOf(database, renewal.id)).toEqual([["period", 1, 3000]]);
  });

  it("dedupes by idempotency key", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, subscription } = await signedUpContract(m, metered);
    const first = await recordUsage(ctx, { subscriptionId: subscription.id, metric: "lessons", quantity: 1, idempotencyKey: "lesson-2027-01-10" });
    const again = await recordUsage(ctx, { subscriptionId: subscription.id, metric: "lessons", quantity: 1, idempotencyKey: "lesson-2027-01-10" });
    expect(again.id).toBe(first.id);
    await recordUsage(ctx, { subscriptionId: subscription.id, metric: "lessons", quantity: 1, idempotencyKey: "lesson-2027-01-11" });
    expect(await database.db.select().from(usageRecords).where(eq(usageRecords.subscriptionId, subscription.id))).toHaveLength(2);
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-10T12:00:00") });
    const renewal = (await contractHistory(database, subscription.id)).invoices.find((i) => i.kind === "renewal")!;
    expect(await linesOf(database, renewal.id)).toEqual([
      ["period", 1, 3000],
      ["usage", 2, 1000],
    ]);
  });

  it("refuses an unknown metric, a usage in the future, and a contract that has ended", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { subscription } = await signedUpContract(m, metered);
    expect(await rejection(recordUsage(ctx, { subscriptionId: subscription.id, metric: "minutes", quantity: 1 }))).toMatchObject({ code: "invalid", details: { param: "metric" } });
    expect(await rejection(recordUsage(ctx, { subscriptionId: subscription.id, metric: "lessons", quantity: 1, timestamp: jst("2027-01-11T12:00:00") }))).toMatchObject({
      code: "invalid",
      details: { param: "timestamp" },
    });
    expect(await database.db.select().from(usageRecords).where(eq(usageRecords.subscriptionId, subscription.id))).toEqual([]);

    const plain = await signedUpContract(m, { amount: 1000, interval: "month" });
    expect(await rejection(recordUsage(ctx, { subscriptionId: plain.subscription.id, metric: "lessons", quantity: 1 }))).toMatchObject({ code: "invalid", details: { param: "metric" } });
  });
});

describe("manual retry", () => {

  /** A contract whose renewal was declined: past_due with automatic retries planned. */
  async function pastDue(m: TestMerchant, plan: PlanInput, start: Date, renewalAt: Date) {
    const setup = await signedUpContract(m, plan, start);
    await m.gateway.testControls.setCardBehavior(setup.paymentMethod.gatewayRef, "decline");
    await advanceTestClock(m.ctx(), { testClockId: setup.clock.id, frozenTime: new Date(renewalAt.getTime() + 3_600_000) });
    const h = await contractHistory(database, setup.subscription.id);
    expect(h.sub.status).toBe("past_due");
    return { ...setup, overdueInvoiceId: h.sub.overdueInvoiceId! };
  }

  it("now, on a fixed card: past_due → active, paid one full cycle from the payment date", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, subscription, paymentMethod, overdueInvoiceId } = await pastDue(m, { amount: 3000, interval: "month" }, jst("2027-01-10T12:00:00"), jst("2027-02-10T00:00:00"));
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "succeed");
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-12T15:30:00") });

    const { subscription: after, payment } = await retryPayment(ctx, { subscriptionId: subscription.id });
    expect(payment).toMatchObject({ status: "paid" });
    expect(after).toMatchObject({ status: "active", paidThrough: jst("2027-03-12T00:00:00"), overdueInvoiceId: null, billingAnchor: 12, lastPaymentAt: jst("2027-02-12T15:30:00") });
    const h = await contractHistory(database, subscription.id);
    expect(h.invoices.find((i) => i.id === overdueInvoiceId)).toMatchObject({ status: "paid", paidAt: jst("2027-02-12T15:30:00") });
    expect(h.attempts.map((a) => [a.trigger, a.status])).toEqual([
      ["checkout", "succeeded"],
      ["scheduled", "failed"],
      ["manual", "succeeded"],
    ]);
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-03-12T00:00:00")]]);
    expect(h.mails.at(-1)).toMatchObject({ template: "charge_succeeded", invoiceId: overdueInvoiceId });

    // The automatic retries were called off: nothing more is charged before the next renewal.
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-03-01T00:00:00") });
    expect((await contractHistory(database, subscription.id)).attempts).toHaveLength(3);
  });

  it("now, on a plan with a billing day: the new paid-through date is aligned forward to it", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, subscription, paymentMethod } = await pastDue(
      m,
      { amount: 3100, interval: "month", billingDay: 25, firstPeriod: "prorate" },
      jst("2027-01-25T09:00:00"),
      jst("2027-02-25T00:00:00"),
    );
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "succeed");
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-03-01T10:00:00") });
    const { subscription: after } = await retryPayment(ctx, { subscriptionId: subscription.id });
    // Mar 1 + one month = Apr 1, forward to the 25th.
    expect(after).toMatchObject({ status: "active", paidThrough: jst("2027-04-25T00:00:00"), billingAnchor: 25 });
    expect((await contractHistory(database, subscription.id)).pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-04-25T00:00:00")]]);
  });

  it("a declined manual retry changes nothing in the plan", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { subscription } = await pastDue(m, { amount: 3000, interval: "month" }, jst("2027-01-10T12:00:00"), jst("2027-02-10T00:00:00"));
    const before = await contractHistory(database, subscription.id);
    const declined = await rejection(retryPayment(ctx, { subscriptionId: subscription.id }));
    expect(declined).toMatchObject({ code: "payment_declined", details: { declineCode: "card_declined", declineKind: "soft", subscriptionId: subscription.id, invoiceId: before.sub.overdueInvoiceId } });
    const after = (await contractHistory(database, subscription.id)).sub;
    expect(after.status).toBe("past_due");
    const h = await contractHistory(database, subscription.id);
    expect(h.pending).toEqual(before.pending);
    expect(h.attempts).toHaveLength(before.attempts.length + 1);
    expect(h.mails.at(-1)!.template).toBe("charge_failed");
  });

  it("on a chosen date: the retry runs when the clock reaches it", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, subscription, paymentMethod, overdueInvoiceId } = await pastDue(m, { amount: 3000, interval: "month" }, jst("2027-01-10T12:00:00"), jst("2027-02-10T00:00:00"));
    // The automatic retry on Feb 17 fails too; the card is fixed on the 18th and the merchant picks the 20th.
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-18T09:00:00") });
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "succeed");
    const { subscription: scheduled, payment } = await retryPayment(ctx, { subscriptionId: subscription.id, at: jst("2027-02-20T00:00:00") });
    expect(payment).toBeNull();
    expect(scheduled.status).toBe("past_due");
    let h = await contractHistory(database, subscription.id);
    expect(h.pending.map((a) => [a.kind, a.dueAt, a.payload])).toEqual([
      ["retry", jst("2027-02-20T00:00:00"), { manual: true }],
      ["retry", jst("2027-02-24T00:00:00"), { retryNumber: 2 }],
    ]);
    // Asking for the same date twice plans one retry.
    await retryPayment(ctx, { subscriptionId: subscription.id, at: jst("2027-02-20T00:00:00") });
    expect((await contractHistory(database, subscription.id)).pending).toHaveLength(2);

    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-19T23:59:00") });
    expect((await contractHistory(database, subscription.id)).sub.status).toBe("past_due");
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-21T00:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "active", paidThrough: jst("2027-03-20T00:00:00"), lastPaymentAt: jst("2027-02-20T00:00:00") });
    expect(h.invoices.find((i) => i.id === overdueInvoiceId)!.status).toBe("paid");
    expect(h.attempts.map((a) => [a.trigger, a.status, a.attemptedAt])).toEqual([
      ["checkout", "succeeded", jst("2027-01-10T12:00:00")],
      ["scheduled", "failed", jst("2027-02-10T00:00:00")],
      ["scheduled", "failed", jst("2027-02-17T00:00:00")],
      ["manual", "succeeded", jst("2027-02-20T00:00:00")],
    ]);
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-03-20T00:00:00")]]);
    const [manual] = await database.db
      .select()
      .from(scheduledActions)
      .where(and(eq(scheduledActions.subscriptionId, subscription.id), eq(scheduledActions.dueAt, jst("2027-02-20T00:00:00"))));
    expect(manual).toMatchObject({ status: "done", outcome: "paid" });
  });

  it("on an unpaid contract: the dunning timeline stops", async () => {
    const m = await setupTestMerchant(database, { settings: { retryScheduleDays: [7, 14, 21], dunning: { notices: [{ template: "unpaid_notice", daysAfterPaidThrough: 1 }, { template: "final_notice", daysAfterPaidThrough: 60 }], withdraw: { enabled: false, hoursAfterLastNotice: 1 } } } });
    const ctx = m.ctx();
    const { clock, subscription, paymentMethod } = await pastDue(m, { amount: 3000, interval: "month" }, jst("2027-01-10T12:00:00"), jst("2027-02-10T00:00:00"));
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-03-05T00:00:00") });
    expect((await contractHistory(database, subscription.id)).sub.status).toBe("unpaid");
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "succeed");
    await retryPayment(ctx, { subscriptionId: subscription.id, at: jst("2027-03-08T00:00:00") });
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-06-01T00:00:00") });
    const h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "active", unpaidSince: null });
    expect(h.mails.filter((x) => x.template === "final_notice")).toEqual([]);
    expect(h.invoices.filter((i) => i.kind === "renewal").map((i) => [i.periodStart, i.status])).toEqual([
      [jst("2027-02-10T00:00:00"), "paid"],
      [jst("2027-04-08T00:00:00"), "paid"],
      [jst("2027-05-08T00:00:00"), "paid"],
    ]);
  });

  it("refuses a contract that owes nothing, and a date more than a year ahead", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const active = await signedUpContract(m, { amount: 3000, interval: "month" });
    const before = await contractHistory(database, active.subscription.id);
    for (const at of [undefined, jst("2027-01-20T00:00:00")]) {
      expect(await rejection(retryPayment(ctx, { subscriptionId: active.subscription.id, at }))).toMatchObject({ code: "conflict", details: { reason: "nothing_owed" } });
    }
    expect(await contractHistory(database, active.subscription.id)).toEqual(before);

    const owing = await pastDue(m, { amount: 3000, interval: "month" }, jst("2027-01-10T12:00:00"), jst("2027-02-10T00:00:00"));
    expect(await rejection(retryPayment(ctx, { subscriptionId: owing.subscription.id, at: jst("2028-03-01T00:00:00") }))).toMatchObject({ code: "invalid", details: { param: "at" } });
  });
});
