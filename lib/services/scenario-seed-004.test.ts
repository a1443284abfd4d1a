import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { openTestDatabase } from "@/test/support/database";
import { RETRY_PRESETS } from "@/lib/billing/billing-settings";
import { advanceTestClock } from "./advance-test-clock";
import { createSubscription } from "./create-subscription";
import { retryPayment } from "./retry-payment";
import { contractHistory, jst, setupClockCustomer, setupTestMerchant } from "@/test/support/merchant";

describe("seed 004 on a test clock: weekly × 3 retries, never withdraw, card fixed, manual retry on a chosen date", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => database.close());

  it("stays in error without withdrawal until the merchant's chosen retry date brings it back", async () => {
    const m = await setupTestMerchant(database, {
      settings: {
        retryScheduleDays: [...RETRY_PRESETS.weeklyTimes3],
        dunning: { notices: [{ template: "unpaid_notice", daysAfterPaidThrough: 1 }], withdraw: { enabled: false, hoursAfterLastNotice: 1 } },
      },
    });
    const ctx = m.ctx();
    const { clock, customer, paymentMethod, plan } = await setupClockCustomer(m, { start: jst("2027-01-05T10:00:00"), plan: { amount: 1000, interval: "month" } });
    const subscription = await createSubscription(ctx, { customerId: customer.id, planId: plan.id });
    expect(subscription.lastPaymentAt).not.toBeNull();
    expect(subscription).toMatchObject({ status: "active", paidThrough: jst("2027-02-05T00:00:00") });

    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "insufficient_funds");
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-20T00:00:00") });
    let h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("past_due");
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["retry", jst("2027-02-26T00:00:00")]]);

    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2028-01-10T00:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("unpaid");
    expect(h.pending).toEqual([]);
    expect(h.attempts.map((a) => a.attemptedAt)).toEqual([
      jst("2027-01-05T10:00:00"),
      jst("2027-02-05T00:00:00"),
      jst("2027-02-12T00:00:00"),
      jst("2027-02-19T00:00:00"),
      jst("2027-02-26T00:00:00"),
    ]);
    expect(h.mails.filter((x) => x.template === "unpaid_notice").map((x) => x.queuedAt)).toEqual([jst("2027-02-26T00:00:00")]);
    expect(h.mails.filter((x) => x.template === "charge_failed")).toHaveLength(4);

    // The member updates the card; the merchant picks the retry date by hand (seed 004).
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "succeed");
    const planned = await retryPayment(ctx, { subscriptionId: subscription.id, at: jst("2028-01-15T09:00:00") });
    expect(planned.payment).toBeNull();
    expect(planned.subscription.status).toBe("unpaid");
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2028-01-15T08:59:00") });
    expect((await contractHistory(database, subscription.id)).sub.status).toBe("unpaid");
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2028-01-16T00:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("active");
    // One full cycle from the payment date; the months missed while unpaid are not billed.
    expect(h.sub.paidThrough).toEqual(jst("2028-02-15T00:00:00"));
    expect(h.invoices.map((i) => [i.kind, i.status])).toEqual([
      ["first", "paid"],
      ["renewal", "paid"],
    ]);
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2028-02-15T00:00:00")]]);

    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2028-03-20T00:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "active", paidThrough: jst("2028-04-15T00:00:00") });
    expect(h.attempts.filter((a) => a.status === "succeeded")).toHaveLength(4);
  });
});
