import { and, asc, eq } from "drizzle-orm";
import { withGateway } from "@/test/support/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { invoiceLines, sandboxCharges } from "@/db/schema";
import { openTestDatabase } from "@/test/support/database";
import type { BillingSettings } from "@/lib/billing/billing-settings";
import type { PaymentGateway } from "@/lib/gateways/payment-gateway";
import { addPaymentMethod } from "./add-payment-method";
import { advanceTestClock } from "./advance-test-clock";
import { cancelSubscription } from "./cancel-subscription";
import { chargeAdditional } from "./charge-additional";
import { createCustomer } from "./create-customer";
import { createPlan } from "./create-plan";
import { createProduct } from "./create-product";
import { createSubscription } from "./create-subscription";
import { recordUsage } from "./record-usage";
import { resumeSubscription } from "./resume-subscription";
import { retryPayment } from "./retry-payment";
import { contractHistory, jst, rejection, setupTestMerchant, signedUpContract } from "@/test/support/merchant";

async function linesOf(database: Database, invoiceId: string) {
  const rows = await database.db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId)).orderBy(asc(invoiceLines.position));
  return rows.map((l) => [l.kind, l.amount]);
}

/** Retry once a day after the failure, an unpaid notice 2 days after the paid-through date, withdrawn an hour later. */
const quickDunning: Partial<BillingSettings> = {
  retryScheduleDays: [1],
  dunning: { notices: [{ template: "unpaid_notice", daysAfterPaidThrough: 2 }], withdraw: { enabled: true, hoursAfterLastNotice: 1 } },
};

describe("cancel and resume", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => database.close());

  it("cancels at period end: stays active until the paid-through date, then ends with no charge", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, subscription, paymentMethod } = await signedUpContract(m);
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-01-20T09:00:00") });

    const canceling = await cancelSubscription(ctx, { subscriptionId: subscription.id, reason: "引っ越し" });
    expect(canceling).toMatchObject({ status: "active", cancelAtPeriodEnd: true, canceledAt: jst("2027-01-20T09:00:00"), cancelReason: "引っ越し", endedAt: null });
    let h = await contractHistory(database, subscription.id);
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["period_end_cancel", jst("2027-02-10T00:00:00")]]);
    expect(h.mails.filter((x) => x.template === "canceled").map((x) => x.queuedAt)).toEqual([jst("2027-01-20T09:00:00")]);
    // Asking twice is a conflict, not a second cancellation.
    expect(await rejection(cancelSubscription(ctx, { subscriptionId: subscription.id }))).toMatchObject({ code: "conflict", details: { reason: "already_canceling" } });

    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-01-31T00:00:00") });
    expect((await contractHistory(database, subscription.id)).sub.status).toBe("active");
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-03-15T00:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "canceled", endedAt: jst("2027-02-10T00:00:00"), canceledAt: jst("2027-01-20T09:00:00") });
    expect(h.invoices.map((i) => i.kind)).toEqual(["first"]);
    expect(h.pending).toEqual([]);
    expect(await database.db.select().from(sandboxCharges).where(eq(sandboxCharges.cardRef, paymentMethod.gatewayRef))).toHaveLength(1);
    expect(h.mails.filter((x) => x.template === "canceled")).toHaveLength(1);
  });

  it("cancels a trial at its end, with no charge", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, subscription } = await signedUpContract(m, { amount: 3000, interval: "month", trialDays: 14, trialReminderDays: 3, joiningFee: 1000 });
    await cancelSubscription(ctx, { subscriptionId: subscription.id });
    let h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "trialing", cancelAtPeriodEnd: true });
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["period_end_cancel", jst("2027-01-24T00:00:00")]]);
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-01T00:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "canceled", endedAt: jst("2027-01-24T00:00:00") });
    expect(h.invoices).toEqual([]);
    expect(h.mails.map((x) => x.template)).toEqual(["welcome", "canceled"]);
  });

  it("cancels now: the contract ends at once and nothing is planned", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, subscription } = await signedUpContract(m);
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-01-20T09:00:00") });
    const canceled = await cancelSubscription(ctx, { subscriptionId: subscription.id, atPeriodEnd: false });
    expect(canceled).toMatchObject({ status: "canceled", cancelAtPeriodEnd: false, endedAt: jst("2027-01-20T09:00:00"), canceledAt: jst("2027-01-20T09:00:00") });
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-04-01T00:00:00") });
    const h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("canceled");
    expect(h.pending).toEqual([]);
    expect(h.invoices.map((i) => i.kind)).toEqual(["first"]);
  });

  it("cancels a past-due contract now: its overdue invoice becomes uncollectible and the retries stop", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, subscription, paymentMethod } = await signedUpContract(m);
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "decline");
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-11T00:00:00") });
    expect((await contractHistory(database, subscription.id)).sub.status).toBe("past_due");
    // At period end makes no sense with nothing paid: it ends now.
    const canceled = await cancelSubscription(ctx, { subscriptionId: subscription.id });
    expect(canceled).toMatchObject({ status: "canceled", cancelAtPeriodEnd: false, endedAt: jst("2027-02-11T00:00:00") });
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-04-01T00:00:00") });
    const h = await contractHistory(database, subscription.id);
    expect(h.invoices.map((i) => [i.kind, i.status])).toEqual([
      ["first", "paid"],
      ["renewal", "uncollectible"],
    ]);
    expect(h.attempts).toHaveLength(2);
    expect(h.pending).toEqual([]);
  });

  it("resume before the period end undoes the cancellation; the renewal runs as planned", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, subscription } = await signedUpContract(m);
    await cancelSubscription(ctx, { subscriptionId: subscription.id });
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-01-25T00:00:00") });
    const resumed = await resumeSubscription(ctx, { subscriptionId: subscription.id });
    expect(resumed).toMatchObject({ status: "active", cancelAtPeriodEnd: false, canceledAt: null, cancelReason: null, paidThrough: jst("2027-02-10T00:00:00") });
    let h = await contractHistory(database, subscription.id);
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-02-10T00:00:00")]]);
    expect(h.mails.filter((x) => x.template === "resumed").map((x) => x.queuedAt)).toEqual([jst("2027-01-25T00:00:00")]);
    expect(h.invoices).toHaveLength(1);

    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-10T12:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "active", paidThrough: jst("2027-03-10T00:00:00") });
    expect(h.invoices.map((i) => [i.kind, i.status])).toEqual([
      ["first", "paid"],
      ["renewal", "paid"],
    ]);
    // Cancel again, then resume again: the undo works more than once.
    await cancelSubscription(ctx, { subscriptionId: subscription.id });
    await resumeSubscription(ctx, { subscriptionId: subscription.id });
    h = await contractHistory(database, subscription.id);
    expect(h.sub.cancelAtPeriodEnd).toBe(false);
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-03-10T00:00:00")]]);
  });

  it("undoing a trial's cancellation brings back its trial end and its reminder", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, subscription } = await signedUpContract(m, { amount: 3000, interval: "month", trialDays: 14, trialReminderDays: 3 });
    const planned = (await contractHistory(database, subscription.id)).pending.map((a) => [a.kind, a.dueAt]);
    expect(planned).toEqual([
      ["trial_reminder", jst("2027-01-21T00:00:00")],
      ["trial_end", jst("2027-01-24T00:00:00")],
    ]);
    await cancelSubscription(ctx, { subscriptionId: subscription.id });
    await resumeSubscription(ctx, { subscriptionId: subscription.id });
    expect((await contractHistory(database, subscription.id)).pending.map((a) => [a.kind, a.dueAt])).toEqual(planned);

    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-01-24T12:00:00") });
    const h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "active", paidThrough: jst("2027-02-24T00:00:00") });
    expect(h.mails.map((x) => x.template)).toEqual(["welcome", "canceled", "resumed", "trial_ending", "charge_succeeded"]);
  });

  it("resumes a canceled contract: a new first period by the plan's rule (prorated to the billing day), renewal planned, resumed mail", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, subscription, paymentMethod } = await signedUpContract(m, { amount: 3100, interval: "month", billingDay: 25, firstPeriod: "prorate", joiningFee: 5000 });
    expect((await contractHistory(database, subscription.id)).invoices.map((i) => i.total)).toEqual([6500]);
    await cancelSubscription(ctx, { subscriptionId: subscription.id, atPeriodEnd: false });
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-03-05T12:00:00") });

    const resumed = await resumeSubscription(ctx, { subscriptionId: subscription.id });
    // Mar 5 → Mar 25 is 20 of the 28 days from Feb 25: ⌊3,100 × 20 / 28⌋ = 2,214. The joining fee was paid already.
    expect(resumed).toMatchObject({
      status: "active",
      paidThrough: jst("2027-03-25T00:00:00"),
      currentPeriodStart: jst("2027-03-05T12:00:00"),
      canceledAt: null,
      endedAt: null,
      billingAnchor: 25,
      lastPaymentAt: jst("2027-03-05T12:00:00"),
    });
    let h = await contractHistory(database, subscription.id);
    const resumeInvoice = h.invoices.find((i) => i.kind === "resume")!;
    expect(resumeInvoice).toMatchObject({ status: "paid", total: 2214 });
    expect(await linesOf(database, resumeInvoice.id)).toEqual([["proration", 2214]]);
    expect(h.attempts.at(-1)).toMatchObject({ trigger: "resume", status: "succeeded", amount: 2214 });
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-03-25T00:00:00")]]);
    expect(h.mails.filter((x) => x.template === "resumed")).toHaveLength(1);
    expect(h.mails.filter((x) => x.template === "charge_succeeded" && x.invoiceId === resumeInvoice.id)).toHaveLength(1);

    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-03-25T12:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.invoices.map((i) => [i.kind, i.total])).toEqual([
      ["first", 6500],
      ["resume", 2214],
      ["renewal", 3100],
    ]);
    expect(h.sub.paidThrough).toEqual(jst("2027-04-25T00:00:00"));
    expect(await database.db.select().from(sandboxCharges).where(eq(sandboxCharges.cardRef, paymentMethod.gatewayRef))).toHaveLength(3);
  });

  it("resumes a contract canceled in its trial with the joining fee it never paid, and no new trial", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, subscription } = await signedUpContract(m, { amount: 3000, interval: "month", trialDays: 14, joiningFee: 5000 });
    await cancelSubscription(ctx, { subscriptionId: subscription.id, atPeriodEnd: false });
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-01T10:00:00") });
    const resumed = await resumeSubscription(ctx, { subscriptionId: subscription.id });
    expect(resumed).toMatchObject({ status: "active", paidThrough: jst("2027-03-01T00:00:00"), joiningFeePending: false, billingAnchor: 1 });
    const h = await contractHistory(database, subscription.id);
    expect(h.invoices.map((i) => [i.kind, i.status, i.total])).toEqual([["resume", "paid", 8000]]);
    expect(await linesOf(database, h.invoices[0]!.id)).toEqual([
      ["period", 3000],
      ["joining_fee", 5000],
    ]);
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-03-01T00:00:00")]]);
  });

  it("resumes a withdrawn contract after its card is fixed; the old debt stays uncollectible", async () => {
    const m = await setupTestMerchant(database, { settings: quickDunning });
    const ctx = m.ctx();
    const { clock, subscription, paymentMethod } = await signedUpContract(m);
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "decline");
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-13T00:00:00") });
    let h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "withdrawn", endedAt: jst("2027-02-12T01:00:00") });
    const oldDebt = h.sub.overdueInvoiceId;

    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "succeed");
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-20T15:00:00") });
    const resumed = await resumeSubscription(ctx, { subscriptionId: subscription.id });
    expect(resumed).toMatchObject({ status: "active", paidThrough: jst("2027-03-20T00:00:00"), billingAnchor: 20, overdueInvoiceId: null, unpaidSince: null, endedAt: null });
    h = await contractHistory(database, subscription.id);
    expect(h.invoices.map((i) => [i.kind, i.status, i.total])).toEqual([
      ["first", "paid", 3000],
      ["renewal", "uncollectible", 3000],
      ["resume", "paid", 3000],
    ]);
    expect(h.invoices.find((i) => i.id === oldDebt)!.status).toBe("uncollectible");
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-03-20T00:00:00")]]);
    expect(h.mails.filter((x) => x.template === "resumed").map((x) => x.queuedAt)).toEqual([jst("2027-02-20T15:00:00")]);

    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-03-20T12:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "active", paidThrough: jst("2027-04-20T00:00:00") });
  });

  it("a declined resume raises payment_declined and leaves the contract canceled; after the card is fixed it resumes", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, subscription, paymentMethod } = await signedUpContract(m);
    await cancelSubscription(ctx, { subscriptionId: subscription.id, atPeriodEnd: false });
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-03-01T10:00:00") });
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "decline");

    const error = await rejection(resumeSubscription(ctx, { subscriptionId: subscription.id }));
    expect(error).toMatchObject({ code: "payment_declined", details: { declineCode: "card_declined" } });
    let h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "canceled", endedAt: jst("2027-01-10T12:00:00"), paidThrough: jst("2027-02-10T00:00:00") });
    expect(h.invoices.map((i) => [i.kind, i.status])).toEqual([
      ["first", "paid"],
      ["resume", "void"],
    ]);
    expect(h.pending).toEqual([]);
    expect(h.mails.filter((x) => x.template === "resumed")).toEqual([]);

    // The customer fixes the card and presses the button again, later that day.
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "succeed");
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-03-01T11:00:00") });
    await expect(resumeSubscription(ctx, { subscriptionId: subscription.id })).resolves.toMatchObject({ status: "active", paidThrough: jst("2027-04-01T00:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.invoices.map((i) => [i.kind, i.status])).toEqual([
      ["first", "paid"],
      ["resume", "void"],
      ["resume", "paid"],
    ]);
    expect(h.mails.filter((x) => x.template === "resumed")).toHaveLength(1);
  });

  it("retrying a declined resume at the same instant charges a fresh invoice, not the void one", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription, paymentMethod } = await signedUpContract(m);
    await cancelSubscription(m.ctx(), { subscriptionId: subscription.id, atPeriodEnd: false });
    // After the paid-through date (2027-02-10) a resume charges a new first period.
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-20T09:00:00") });
    const ctx = m.ctx();
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "decline");
    expect((await rejection(resumeSubscription(ctx, { subscriptionId: subscription.id }))).code).toBe("payment_declined");
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "succeed");
    await expect(resumeSubscription(ctx, { subscriptionId: subscription.id })).resolves.toMatchObject({ status: "active" });
    const h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("active");
    const charges = await database.db.select().from(sandboxCharges).where(and(eq(sandboxCharges.cardRef, paymentMethod.gatewayRef), eq(sandboxCharges.outcome, "succeeded")));
    expect(charges).toHaveLength(2);
    // A void invoice stays void: the second press gets an invoice of its own.
    expect(h.invoices.map((i) => [i.kind, i.status, i.attemptCount])).toEqual([
      ["first", "paid", 1],
      ["resume", "void", 1],
      ["resume", "paid", 1],
    ]);
  });

  /** A customer on real time (every call sees a later instant) with a monthly contract, canceled now. */
  async function canceledOnRealTime(m: Awaited<ReturnType<typeof setupTestMerchant>>, startAt: Date) {
    let t = startAt.getTime();
    const ticking = m.ctx({ now: () => new Date((t += 1000)) });
    const product = await createProduct(ticking, { name: "ヨガ教室" });
    const plan = await createPlan(ticking, { productId: product.id, amount: 4000, interval: "month" });
    const customer = await createCustomer(ticking, { email: "yoga@example.jp", name: "鈴木 一郎" });
    const token = await m.gateway.testControls.createToken({ number: "4242424242424242", expMonth: 12, expYear: 2035, cvc: "123" }, new Date(t));
    const card = await addPaymentMethod(ticking, { customerId: customer.id, token: token.id });
    const subscription = await createSubscription(ticking, { customerId: customer.id, planId: plan.id });
    await cancelSubscription(ticking, { subscriptionId: subscription.id, atPeriodEnd: false });
    return { ticking, card, subscription, jump: (to: Date) => void (t = to.getTime()) };
  }

  it("two presses of the resume button at once, with paid time left: restored once, nothing charged", async () => {
    const m = await setupTestMerchant(database);
    const { ticking, card, subscription } = await canceledOnRealTime(m, jst("2027-01-10T12:00:00"));
    const results = await Promise.allSettled([resumeSubscription(ticking, { subscriptionId: subscription.id }), resumeSubscription(ticking, { subscriptionId: subscription.id })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "conflict", details: { reason: "illegal_state" } });

    const h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "active", paidThrough: jst("2027-02-10T00:00:00"), endedAt: null, canceledAt: null });
    expect(h.invoices.map((i) => [i.kind, i.status])).toEqual([["first", "paid"]]);
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-02-10T00:00:00")]]);
    const charges = await database.db.select().from(sandboxCharges).where(eq(sandboxCharges.cardRef, card.gatewayRef));
    expect(charges.map((c) => c.amount)).toEqual([4000]);
  });

  it("two presses of the resume button at once, after the paid-through date: charged once", async () => {
    const m = await setupTestMerchant(database);
    const { ticking, card, subscription, jump } = await canceledOnRealTime(m, jst("2027-01-10T12:00:00"));
    jump(jst("2027-03-01T09:00:00"));
    const results = await Promise.allSettled([resumeSubscription(ticking, { subscriptionId: subscription.id }), resumeSubscription(ticking, { subscriptionId: subscription.id })]);
    expect(results.some((r) => r.status === "fulfilled")).toBe(true);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "conflict" });

    const h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("active");
    expect(h.invoices.map((i) => [i.kind, i.status])).toEqual([
      ["first", "paid"],
      ["resume", "paid"],
    ]);
    expect(h.attempts.map((a) => a.status)).toEqual(["succeeded", "succeeded"]);
    const charges = await database.db.select().from(sandboxCharges).where(eq(sandboxCharges.cardRef, card.gatewayRef));
    expect(charges.map((c) => c.amount)).toEqual([4000, 4000]);
  });

  it("a payment that lands after the contract was canceled is recorded; the contract stays canceled", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, subscription, paymentMethod } = await signedUpContract(m);
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "decline");
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-12T10:00:00") });
    expect((await contractHistory(database, subscription.id)).sub.status).toBe("past_due");
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "succeed");

    // The merchant cancels while the manual retry's charge is on its way to the gateway.
    const slow: PaymentGateway = {
      ...m.gateway,
      charge: async (request) => {
        await cancelSubscription(ctx, { subscriptionId: subscription.id, atPeriodEnd: false });
        return m.gateway.charge(request);
      },
    };
    const { subscription: after, payment } = await retryPayment(withGateway(ctx, slow), { subscriptionId: subscription.id });
    expect(payment).toMatchObject({ status: "paid" });
    expect(after).toMatchObject({ status: "canceled", lastPaymentAt: jst("2027-02-12T10:00:00") });
    const h = await contractHistory(database, subscription.id);
    // The gateway's books and ours agree: two successful charges, two paid invoices.
    expect(h.invoices.map((i) => [i.kind, i.status])).toEqual([
      ["first", "paid"],
      ["renewal", "paid"],
    ]);
    expect(h.attempts.map((a) => a.status)).toEqual(["succeeded", "failed", "succeeded"]);
    const charges = await database.db.select().from(sandboxCharges).where(and(eq(sandboxCharges.cardRef, paymentMethod.gatewayRef), eq(sandboxCharges.outcome, "succeeded")));
    expect(charges).toHaveLength(2);
    expect(h.pending).toEqual([]);
  });

  it("refuses to resume a contract that is not ended or ending", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { subscription } = await signedUpContract(m);
    const error = await rejection(resumeSubscription(ctx, { subscriptionId: subscription.id }));
    expect(error).toMatchObject({ code: "conflict", details: { reason: "illegal_state" } });
    expect((await contractHistory(database, subscription.id)).mails.map((x) => x.template)).toEqual(["welcome", "charge_succeeded"]);
  });

  it("surfaces the state machine's illegal transitions as conflict", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, subscription, paymentMethod } = await signedUpContract(m, { amount: 3000, interval: "month", usageRates: [{ metric: "lessons", unitAmount: 100 }] });

    // past_due cannot be resumed (it is paid by a retry), nor an active contract retried.
    expect(await rejection(retryPayment(ctx, { subscriptionId: subscription.id }))).toMatchObject({ code: "conflict", details: { reason: "nothing_owed" } });
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "decline");
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-10T12:00:00") });
    expect(await rejection(resumeSubscription(ctx, { subscriptionId: subscription.id }))).toMatchObject({ code: "conflict", details: { reason: "illegal_state" } });

    // A canceled contract cannot be canceled again, charged, extended, retried or metered.
    await cancelSubscription(ctx, { subscriptionId: subscription.id, atPeriodEnd: false });
    const before = await contractHistory(database, subscription.id);
    for (const call of [
      () => cancelSubscription(ctx, { subscriptionId: subscription.id }),
      () => cancelSubscription(ctx, { subscriptionId: subscription.id, atPeriodEnd: false }),
      () => chargeAdditional(ctx, { subscriptionId: subscription.id, amount: 100 }),
      () => chargeAdditional(ctx, { subscriptionId: subscription.id, amount: 100, extendPaidThrough: true }),
      () => recordUsage(ctx, { subscriptionId: subscription.id, metric: "lessons", quantity: 1 }),
      () => retryPayment(ctx, { subscriptionId: subscription.id }),
    ]) {
      const error = await rejection(call());
      expect(error.code).toBe("conflict");
      expect(error.details.reason).toMatch(/^(illegal_state|nothing_owed)$/);
    }
    const after = await contractHistory(database, subscription.id);
    expect(after).toEqual(before);
  });
});
