import { and, asc, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditEvents, invoices, mails, paymentAttempts, sandboxCharges, scheduledActions } from "@/db/schema";
import { openTestDatabase } from "@/test/support/database";
import { advanceTestClock } from "./advance-test-clock";
import { cancelSubscription } from "./cancel-subscription";
import { chargeAdditional } from "./charge-additional";
import { createSubscription } from "./create-subscription";
import { contractHistory, jst, rejection, setupClockCustomer, setupTestMerchant, signedUpContract, type TestMerchant } from "@/test/support/merchant";

/** What a refused call must leave untouched. */
async function merchantCounts(database: Database, merchantId: string) {
  const n = async (table: typeof invoices | typeof paymentAttempts | typeof mails | typeof auditEvents | typeof scheduledActions) =>
    (await database.db.select({ n: count() }).from(table).where(eq(table.merchantId, merchantId)))[0]!.n;
  return { invoices: await n(invoices), attempts: await n(paymentAttempts), mails: await n(mails), audit: await n(auditEvents), actions: await n(scheduledActions) };
}

/** A monthly 3,000 JPY contract (sign-up day Jan 10, paid through Feb 10) on its own test clock. */
async function monthlyContract(m: TestMerchant, plan: { interval?: "month" | "year" } = {}) {
  const signedUp = await signedUpContract(m, { amount: 3000, interval: plan.interval ?? "month" });
  expect(signedUp.subscription.status).toBe("active");
  return signedUp;
}

describe("scenario (d): additional charges on a test clock", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => database.close());

  it("extends the paid-through date by one cycle and moves the renewal with it: no double renewal", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, subscription } = await monthlyContract(m);
    expect(subscription.paidThrough).toEqual(jst("2027-02-10T00:00:00"));

    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-01-20T10:00:00") });
    const invoice = await chargeAdditional(ctx, { subscriptionId: subscription.id, amount: 3000, extendPaidThrough: true, sendMail: true, description: "1か月延長" });
    expect(invoice).toMatchObject({ kind: "additional", status: "paid", total: 3000, extendPaidThrough: true, description: "1か月延長" });
    expect(invoice.lines.map((l) => [l.kind, l.amount, l.description])).toEqual([["additional", 3000, "1か月延長"]]);
    expect(invoice.attempts.map((a) => [a.trigger, a.status, a.amount])).toEqual([["additional", "succeeded", 3000]]);

    let h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "active", paidThrough: jst("2027-03-10T00:00:00"), lastPaymentAt: jst("2027-01-20T10:00:00") });
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-03-10T00:00:00")]]);
    const receipts = h.mails.filter((x) => x.template === "charge_succeeded" && x.invoiceId === invoice.id);
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.queuedAt).toEqual(jst("2027-01-20T10:00:00"));
    // The receipt tells the new paid-through date.
    expect(receipts[0]!.variables.paid_through).toBe("2027年3月10日");

    // Feb 10 passes with no charge; the renewal comes on Mar 10, once.
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-15T00:00:00") });
    expect((await contractHistory(database, subscription.id)).invoices).toHaveLength(2);
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-03-10T12:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.invoices.map((i) => [i.kind, i.status, i.total, i.periodStart])).toEqual([
      ["first", "paid", 3000, jst("2027-01-10T12:00:00")],
      ["additional", "paid", 3000, null],
      ["renewal", "paid", 3000, jst("2027-03-10T00:00:00")],
    ]);
    expect(h.attempts).toHaveLength(3);
    expect(h.sub.paidThrough).toEqual(jst("2027-04-10T00:00:00"));
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-04-10T00:00:00")]]);
  });

  it("with extension on a contract set to end at period end moves the end, not a renewal", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, subscription } = await monthlyContract(m);
    await cancelSubscription(ctx, { subscriptionId: subscription.id });
    await chargeAdditional(ctx, { subscriptionId: subscription.id, amount: 3000, extendPaidThrough: true });
    let h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "active", cancelAtPeriodEnd: true, paidThrough: jst("2027-03-10T00:00:00") });
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["period_end_cancel", jst("2027-03-10T00:00:00")]]);
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-04-01T00:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "canceled", endedAt: jst("2027-03-10T00:00:00") });
    expect(h.invoices.map((i) => i.kind)).toEqual(["first", "additional"]);
  });

  it("without extension leaves the paid-through date and the renewal as they were", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, subscription } = await monthlyContract(m);
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-01-20T10:00:00") });
    const invoice = await chargeAdditional(ctx, { subscriptionId: subscription.id, amount: 1200, description: "教材費" });
    expect(invoice).toMatchObject({ kind: "additional", status: "paid", total: 1200, extendPaidThrough: false, sendMail: false });

    let h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "active", paidThrough: jst("2027-02-10T00:00:00"), lastPaymentAt: jst("2027-01-20T10:00:00") });
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-02-10T00:00:00")]]);

    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-10T12:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.invoices.map((i) => [i.kind, i.total])).toEqual([
      ["first", 3000],
      ["additional", 1200],
      ["renewal", 3000],
    ]);
    expect(h.sub.paidThrough).toEqual(jst("2027-03-10T00:00:00"));
  });

  it.each([
    { extendPaidThrough: true, sendMail: true, receipts: 1 },
    { extendPaidThrough: true, sendMail: false, receipts: 0 },
    { extendPaidThrough: false, sendMail: true, receipts: 1 },
    { extendPaidThrough: false, sendMail: false, receipts: 0 },
  ])("extend=$extendPaidThrough send_mail=$sendMail → $receipts charge_succeeded mail", async ({ extendPaidThrough, sendMail, receipts }) => {
    const m = await setupTestMerchant(database);
    const { subscription } = await monthlyContract(m);
    const before = (await contractHistory(database, subscription.id)).mails;
    const invoice = await chargeAdditional(m.ctx(), { subscriptionId: subscription.id, amount: 500, extendPaidThrough, sendMail });
    const after = (await contractHistory(database, subscription.id)).mails;
    const added = after.filter((x) => !before.some((b) => b.id === x.id));
    expect(added.map((x) => [x.template, x.invoiceId])).toEqual(Array.from({ length: receipts }, () => ["charge_succeeded", invoice.id]));
  });

  it("charges once per request key", async () => {
    const m = await setupTestMerchant(database);
    const { subscription, paymentMethod } = await monthlyContract(m);
    const first = await chargeAdditional(m.ctx(), { subscriptionId: subscription.id, amount: 700, extendPaidThrough: true, requestKey: "order-1" });
    const again = await chargeAdditional(m.ctx(), { subscriptionId: subscription.id, amount: 700, extendPaidThrough: true, requestKey: "order-1" });
    expect(again.id).toBe(first.id);
    expect(again.attempts).toHaveLength(1);
    const charges = await database.db.select().from(sandboxCharges).where(eq(sandboxCharges.cardRef, paymentMethod.gatewayRef)).orderBy(asc(sandboxCharges.createdAt), asc(sandboxCharges.id));
    expect(charges.map((c) => c.amount)).toEqual([3000, 700]);
    expect((await contractHistory(database, subscription.id)).sub.paidThrough).toEqual(jst("2027-03-10T00:00:00"));
  });

  it("refuses, writing nothing, when the last successful payment is older than the default 365-day window", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, subscription, paymentMethod } = await monthlyContract(m, { interval: "year" });
    // The yearly renewal on 2028-01-10 is declined: the last successful payment stays 2027-01-10 12:00.
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "decline");
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2028-01-10T12:00:00") });
    let h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "past_due", lastPaymentAt: jst("2027-01-10T12:00:00") });
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "succeed");

    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2028-01-10T12:00:01") });
    const before = await merchantCounts(database, m.merchantId);
    for (const extendPaidThrough of [false, true]) {
      const error = await rejection(chargeAdditional(ctx, { subscriptionId: subscription.id, amount: 1000, extendPaidThrough, sendMail: true }));
      expect(error.code).toBe("conflict");
      expect(error.details.reason).toBe("card_on_file_window_exceeded");
      expect(error.message).toContain("365 days");
    }
    expect(await merchantCounts(database, m.merchantId)).toEqual(before);
    h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("past_due");
    expect(await database.db.select({ n: count() }).from(sandboxCharges).where(eq(sandboxCharges.cardRef, paymentMethod.gatewayRef))).toEqual([{ n: 2 }]);
  });

  it("uses the merchant's own window: allowed on its last day, refused after it", async () => {
    const m = await setupTestMerchant(database, { settings: { cardOnFileWindowDays: 30 } });
    const ctx = m.ctx();
    const { clock, subscription } = await monthlyContract(m, { interval: "year" });

    // Exactly 30 days after the first payment: still inside the window.
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-09T12:00:00") });
    await expect(chargeAdditional(ctx, { subscriptionId: subscription.id, amount: 800 })).resolves.toMatchObject({ status: "paid" });
    // The additional charge is a successful payment too: the window now counts from Feb 9.
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-03-11T12:00:00") });
    await expect(chargeAdditional(ctx, { subscriptionId: subscription.id, amount: 800 })).resolves.toMatchObject({ status: "paid" });

    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-04-11T12:00:00") });
    const before = await merchantCounts(database, m.merchantId);
    const error = await rejection(chargeAdditional(ctx, { subscriptionId: subscription.id, amount: 800, extendPaidThrough: true }));
    expect(error).toMatchObject({ code: "conflict", details: { reason: "card_on_file_window_exceeded" } });
    expect(error.message).toContain("30 days");
    expect(await merchantCounts(database, m.merchantId)).toEqual(before);
    expect((await contractHistory(database, subscription.id)).sub.paidThrough).toEqual(jst("2028-01-10T00:00:00"));
  });

  it("refuses a contract that was never paid", async () => {
    const m = await setupTestMerchant(database);
    const { customer, plan } = await setupClockCustomer(m, { start: jst("2027-01-10T12:00:00"), plan: { amount: 3000, interval: "month", trialDays: 14 } });
    const subscription = await createSubscription(m.ctx(), { customerId: customer.id, planId: plan.id });
    expect(subscription.status).toBe("trialing");
    const before = await merchantCounts(database, m.merchantId);
    const error = await rejection(chargeAdditional(m.ctx(), { subscriptionId: subscription.id, amount: 500 }));
    expect(error).toMatchObject({ code: "conflict", details: { reason: "card_on_file_window_exceeded" } });
    expect(await merchantCounts(database, m.merchantId)).toEqual(before);
  });

  it("a declined additional charge raises payment_declined, voids its invoice and leaves the contract as it was", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, subscription, paymentMethod } = await monthlyContract(m);
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-01-20T10:00:00") });
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "insufficient_funds");

    const error = await rejection(chargeAdditional(ctx, { subscriptionId: subscription.id, amount: 3000, extendPaidThrough: true, sendMail: true }));
    expect(error).toMatchObject({ code: "payment_declined", details: { declineCode: "insufficient_funds" } });

    const h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "active", paidThrough: jst("2027-02-10T00:00:00"), lastPaymentAt: jst("2027-01-10T12:00:00"), overdueInvoiceId: null });
    expect(h.invoices.map((i) => [i.kind, i.status])).toEqual([
      ["first", "paid"],
      ["additional", "void"],
    ]);
    expect(h.attempts.map((a) => [a.trigger, a.status])).toEqual([
      ["checkout", "succeeded"],
      ["additional", "failed"],
    ]);
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-02-10T00:00:00")]]);
    expect(h.mails.map((x) => x.template)).toEqual(["welcome", "charge_succeeded"]);
  });

  it("with extension on an unpaid contract collects the balance and returns it to active", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, subscription, paymentMethod } = await monthlyContract(m);
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "decline");
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-24T12:00:00") });
    let h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("unpaid");
    const overdue = h.sub.overdueInvoiceId!;
    expect(h.pending.map((a) => a.kind)).toEqual(["dunning_notice", "dunning_notice", "withdrawal"]);

    // Without extension an extra charge is only an extra charge: the balance stays owed.
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "succeed");
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-25T10:00:00") });
    await chargeAdditional(ctx, { subscriptionId: subscription.id, amount: 500 });
    h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "unpaid", overdueInvoiceId: overdue });

    const invoice = await chargeAdditional(ctx, { subscriptionId: subscription.id, amount: 3000, extendPaidThrough: true, sendMail: true, description: "未払い分" });
    expect(invoice.status).toBe("paid");
    h = await contractHistory(database, subscription.id);
    // One full cycle from the payment date (the plan bills on the sign-up day, so no alignment).
    expect(h.sub).toMatchObject({ status: "active", paidThrough: jst("2027-03-25T00:00:00"), overdueInvoiceId: null, unpaidSince: null, billingAnchor: 25 });
    expect(h.invoices.find((i) => i.id === overdue)!.status).toBe("void");
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-03-25T00:00:00")]]);

    // The dunning timeline is over: no more notices, no withdrawal; renewals resume on the 25th.
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-05-10T00:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("active");
    expect(h.mails.filter((x) => ["final_notice", "withdrawal_notice"].includes(x.template))).toEqual([]);
    expect(h.invoices.filter((i) => i.kind === "renewal").map((i) => [i.periodStart, i.status])).toEqual([
      [jst("2027-02-10T00:00:00"), "void"],
      [jst("2027-03-25T00:00:00"), "paid"],
      [jst("2027-04-25T00:00:00"), "paid"],
    ]);
  });

  it("with extension on a past-due contract ends its retries", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, subscription, paymentMethod } = await monthlyContract(m);
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "decline");
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-10T12:00:00") });
    expect((await contractHistory(database, subscription.id)).sub.status).toBe("past_due");
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "succeed");
    await chargeAdditional(ctx, { subscriptionId: subscription.id, amount: 3000, extendPaidThrough: true });
    const h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "active", paidThrough: jst("2027-03-10T00:00:00") });
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-03-10T00:00:00")]]);
    const retries = await database.db
      .select({ status: scheduledActions.status })
      .from(scheduledActions)
      .where(and(eq(scheduledActions.subscriptionId, subscription.id), eq(scheduledActions.kind, "retry")));
    expect(retries.map((r) => r.status)).toEqual(["canceled", "canceled"]);
  });
});
