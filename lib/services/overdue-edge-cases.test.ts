import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { openTestDatabase } from "@/test/support/database";
import { advanceTestClock } from "./advance-test-clock";
import { cancelSubscription } from "./cancel-subscription";
import { chargeAdditional } from "./charge-additional";
import { fixedClock } from "./context";
import { createSubscription } from "./create-subscription";
import { ServiceError } from "./errors";
import { lockContract } from "./internal/contract";
import { lockInvoice } from "./internal/invoicing";
import { chargeAttempt, openAttempts } from "./internal/payment-attempts";
import { settleCharges } from "./internal/settlement";
import { retryPayment } from "./retry-payment";
import { contractHistory, jst, rejection, setupClockCustomer, setupTestMerchant } from "@/test/support/merchant";

describe("overdue edge cases", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => database.close());

  it("a declined checkout paid on a retry within its first period keeps that period", async () => {
    const m = await setupTestMerchant(database);
    const { customer, plan, paymentMethod, clock } = await setupClockCustomer(m, {
      start: jst("2027-01-10T12:00:00"),
      card: "4000000000000341",
      plan: { amount: 3100, interval: "month", billingDay: 25, firstPeriod: "prorate", joiningFee: 5000 },
    });
    const declined = await rejection(createSubscription(m.ctx(), { customerId: customer.id, planId: plan.id }));
    const subscription = (await contractHistory(database, declined.details.subscriptionId!)).sub;
    expect(subscription.status).toBe("incomplete");
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "succeed");
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-01-12T09:00:00") });
    const { subscription: after, payment } = await retryPayment(m.ctx(), { subscriptionId: subscription.id });
    expect(payment?.status).toBe("paid");
    expect(after).toMatchObject({ status: "active", paidThrough: jst("2027-01-25T00:00:00"), overdueInvoiceId: null, joiningFeePending: false });
    const h = await contractHistory(database, subscription.id);
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-01-25T00:00:00")]]);
  });

  it("collecting an unpaid balance with an extension needs at least the balance, and a refusal writes nothing", async () => {
    const m = await setupTestMerchant(database);
    const { customer, plan, paymentMethod, clock } = await setupClockCustomer(m, { start: jst("2027-01-05T10:00:00"), plan: { amount: 1000, interval: "month" } });
    const subscription = await createSubscription(m.ctx(), { customerId: customer.id, planId: plan.id });
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "decline");
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-25T00:00:00") });
    expect((await contractHistory(database, subscription.id)).sub.status).toBe("unpaid");
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "succeed");
    const before = await contractHistory(database, subscription.id);
    const refused = await chargeAdditional(m.ctx(), { subscriptionId: subscription.id, amount: 999, extendPaidThrough: true }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ServiceError);
    expect(refused).toMatchObject({ code: "invalid", details: { param: "amount" } });
    expect(await contractHistory(database, subscription.id)).toEqual(before);
    await chargeAdditional(m.ctx(), { subscriptionId: subscription.id, amount: 1000, extendPaidThrough: true });
    expect((await contractHistory(database, subscription.id)).sub.status).toBe("active");
  });

  it("a charge declined after its contract was canceled leaves the written-off invoice as it is and sends no failure mail", async () => {
    const m = await setupTestMerchant(database);
    const { customer, plan, paymentMethod, clock } = await setupClockCustomer(m, { start: jst("2027-01-05T10:00:00"), plan: { amount: 1000, interval: "month" } });
    const subscription = await createSubscription(m.ctx(), { customerId: customer.id, planId: plan.id });
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "decline");
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-05T12:00:00") });
    let h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("past_due");
    const overdueId = h.sub.overdueInvoiceId!;

    // A retry is in flight at the gateway when the merchant cancels the contract.
    const ctx = { ...m.ctx(), clock: fixedClock(jst("2027-02-05T12:00:00")) };
    const prepared = await database.db.transaction(async (tx) => {
      await lockContract(tx, m.merchantId, subscription.id, ctx.clock);
      const invoice = await lockInvoice(tx, m.merchantId, overdueId);
      return (await openAttempts(tx, [{ invoice: invoice!, input: { paymentMethodId: paymentMethod.id, trigger: "manual", actionId: null, at: jst("2027-02-05T12:00:00") } }]))[0]!;
    });
    await cancelSubscription(ctx, { subscriptionId: subscription.id, atPeriodEnd: false });
    const failedMailsBefore = (await contractHistory(database, subscription.id)).mails.filter((x) => x.template === "charge_failed").length;
    const result = await chargeAttempt(ctx.gateways, prepared);
    expect(result.status).toBe("failed");
    await settleCharges(ctx, [{ prepared, result, subscriptionId: subscription.id }]);
    h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("canceled");
    expect(h.invoices.find((i) => i.id === overdueId)?.status).toBe("uncollectible");
    expect(h.mails.filter((x) => x.template === "charge_failed")).toHaveLength(failedMailsBefore);
    expect(h.pending).toEqual([]);
  });
});
