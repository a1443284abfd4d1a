import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { openTestDatabase } from "@/test/support/database";
import { advanceTestClock } from "./advance-test-clock";
import { createSubscription } from "./create-subscription";
import { contractHistory, jst, setupClockCustomer, setupTestMerchant } from "@/test/support/merchant";

describe("seed 000 on a test clock: trial → joining fee + first month → card goes bad → retries → dunning → withdrawn", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => database.close());

  it("lives the whole life with one attempt per scheduled attempt and one mail per notice", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, customer, paymentMethod, plan } = await setupClockCustomer(m, {
      start: jst("2027-01-10T12:00:00"),
      plan: { amount: 3000, interval: "month", trialDays: 14, joiningFee: 5000 },
    });
    const subscription = await createSubscription(ctx, { customerId: customer.id, planId: plan.id });
    expect(subscription.status).toBe("trialing");
    expect(subscription.trialEnd).toEqual(jst("2027-01-24T00:00:00"));

    // The trial converts: joining fee and the first month in one payment.
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-01-24T09:00:00") });
    let h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("active");
    expect(h.invoices).toHaveLength(1);
    expect(h.invoices[0]).toMatchObject({ kind: "first", status: "paid", total: 8000, tax: 727, subtotal: 7273 });
    expect(h.sub.paidThrough).toEqual(jst("2027-02-24T00:00:00"));
    expect(h.sub.joiningFeePending).toBe(false);

    // The card goes bad; the renewal on Feb 24 fails and retries are planned at +7 d and +14 d.
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "decline");
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-24T12:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("past_due");
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([
      ["retry", jst("2027-03-03T00:00:00")],
      ["retry", jst("2027-03-10T00:00:00")],
    ]);

    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-03-03T12:00:00") });
    expect((await contractHistory(database, subscription.id)).sub.status).toBe("past_due");
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-03-10T12:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("unpaid");
    // The unpaid notice (+1 d) was due before the contract became unpaid: sent at once.
    expect(h.mails.filter((x) => x.template === "unpaid_notice").map((x) => x.queuedAt)).toEqual([jst("2027-03-10T00:00:00")]);
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([
      ["dunning_notice", jst("2027-04-25T00:00:00")],
      ["dunning_notice", jst("2027-05-02T00:00:00")],
      ["withdrawal", jst("2027-05-02T01:00:00")],
    ]);

    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-05-02T00:30:00") });
    expect((await contractHistory(database, subscription.id)).sub.status).toBe("unpaid");
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-06-01T00:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("withdrawn");
    expect(h.sub.endedAt).toEqual(jst("2027-05-02T01:00:00"));
    expect(h.pending).toEqual([]);

    expect(h.attempts.map((a) => [a.status, a.attemptedAt])).toEqual([
      ["succeeded", jst("2027-01-24T00:00:00")],
      ["failed", jst("2027-02-24T00:00:00")],
      ["failed", jst("2027-03-03T00:00:00")],
      ["failed", jst("2027-03-10T00:00:00")],
    ]);
    expect(h.mails.map((x) => [x.template, x.queuedAt])).toEqual([
      ["welcome", jst("2027-01-10T12:00:00")],
      ["charge_succeeded", jst("2027-01-24T00:00:00")],
      ["charge_failed", jst("2027-02-24T00:00:00")],
      ["charge_failed", jst("2027-03-03T00:00:00")],
      ["charge_failed", jst("2027-03-10T00:00:00")],
      ["unpaid_notice", jst("2027-03-10T00:00:00")],
      ["final_notice", jst("2027-04-25T00:00:00")],
      ["withdrawal_notice", jst("2027-05-02T00:00:00")],
    ]);
    // Each asks for a new card through the contract's card link, signed when the mail is sent.
    expect(h.mails.filter((x) => x.template === "charge_failed").map((x) => x.links)).toEqual(Array(3).fill({ card_update: subscription.id }));
    expect(h.invoices.map((i) => [i.kind, i.status])).toEqual([
      ["first", "paid"],
      ["renewal", "uncollectible"],
    ]);
  });
});
