import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { openTestDatabase } from "@/test/support/database";
import { advanceTestClock } from "./advance-test-clock";
import { createSubscription } from "./create-subscription";
import { contractHistory, jst, setupClockCustomer, setupTestMerchant } from "@/test/support/merchant";

describe("billing day 31 across February of a leap year", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => database.close());

  it("bills on month-end every month and remembers the 31st after February", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, customer, plan } = await setupClockCustomer(m, {
      start: jst("2027-12-20T15:00:00"),
      plan: { amount: 3100, interval: "month", billingDay: 31, firstPeriod: "prorate" },
    });
    const subscription = await createSubscription(ctx, { customerId: customer.id, planId: plan.id });
    expect(subscription.lastPaymentAt).not.toBeNull();
    expect(subscription.paidThrough).toEqual(jst("2027-12-31T00:00:00"));

    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2028-06-15T00:00:00") });
    const h = await contractHistory(database, subscription.id);
    // Dec 20 (counted) to Dec 31 (not counted) = 11 days of the 31-day cycle Nov 30 → Dec 31: 3,100 × 11 / 31.
    expect(h.invoices[0]).toMatchObject({ kind: "first", total: 1100 });
    expect(h.invoices.slice(1).map((i) => [i.periodStart, i.periodEnd, i.total, i.status])).toEqual([
      [jst("2027-12-31T00:00:00"), jst("2028-01-31T00:00:00"), 3100, "paid"],
      [jst("2028-01-31T00:00:00"), jst("2028-02-29T00:00:00"), 3100, "paid"],
      [jst("2028-02-29T00:00:00"), jst("2028-03-31T00:00:00"), 3100, "paid"],
      [jst("2028-03-31T00:00:00"), jst("2028-04-30T00:00:00"), 3100, "paid"],
      [jst("2028-04-30T00:00:00"), jst("2028-05-31T00:00:00"), 3100, "paid"],
      [jst("2028-05-31T00:00:00"), jst("2028-06-30T00:00:00"), 3100, "paid"],
    ]);
    expect(h.attempts).toHaveLength(7);
    expect(h.sub.paidThrough).toEqual(jst("2028-06-30T00:00:00"));
  });
});
