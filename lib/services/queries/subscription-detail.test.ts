import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { openTestDatabase } from "@/test/support/database";
import { jst, rejection, setupTestMerchant, signedUpContract, type TestMerchant } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import { addPaymentMethod } from "../add-payment-method";
import { advanceTestClock } from "../advance-test-clock";
import { cancelSubscription } from "../cancel-subscription";
import { changePlan } from "../change-plan";
import { chargeAdditional } from "../charge-additional";
import { staffContext } from "../contexts";
import { createPlan } from "../create-plan";
import { createStaffUser } from "../create-staff-user";
import { recordUsage } from "../record-usage";
import { refundInvoice } from "../refund-invoice";
import { updateSubscriptionPaymentMethod } from "../update-payment-method";
import { subscriptionAuditTrail } from "./audit-events";
import { getSubscriptionDetail } from "./subscription-detail";

describe("getSubscriptionDetail", () => {
  let database: Database;
  let m: TestMerchant;
  beforeAll(async () => {
    database = await openTestDatabase();
    m = await setupTestMerchant(database);
  });
  afterAll(async () => database.close());

  const priced = { amount: 3000, interval: "month" as const, usageRates: [{ metric: "api_calls", unitAmount: 10 }] };

  it("a paid contract: its customer, plan, card, and its next renewal priced as the runner will, usage and plan change included", async () => {
    const { subscription, customer, product, plan } = await signedUpContract(m, priced);
    const ctx = m.ctx();
    const detail = await getSubscriptionDetail(ctx, subscription.id);
    expect(detail).toMatchObject({
      now: jst("2027-01-10T12:00:00"),
      timeZone: "Asia/Tokyo",
      cardOnFileWindowDays: 365,
      customer: { id: customer.id, name: "山田 太郎", email: "member@example.jp" },
      plan: { id: plan.id, productName: "オンライン講座", amount: 3000, currency: "jpy", interval: "month" },
      pendingPlan: null,
      card: { brand: "visa", last4: "4242", expMonth: 12, expYear: 2035, detached: false, expiry: "ok" },
      nextCharge: { kind: "renewal", at: jst("2027-02-10T00:00:00"), total: 3000, currency: "jpy", usageIncluded: false },
      owedInvoice: null,
      testClock: { frozenTime: jst("2027-01-10T12:00:00") },
    });

    await recordUsage(ctx, { subscriptionId: subscription.id, metric: "api_calls", quantity: 7, timestamp: jst("2027-01-10T12:00:00") });
    expect((await getSubscriptionDetail(ctx, subscription.id)).nextCharge).toMatchObject({ total: 3070, usageIncluded: true });

    const premium = await createPlan(ctx, { productId: product.id, name: "プレミアム", amount: 5000, interval: "month", usageRates: [{ metric: "api_calls", unitAmount: 20 }] });
    const before = await getSubscriptionDetail(ctx, subscription.id);
    expect(before.planChoices.map((p) => p.id)).toContain(premium.id);
    expect(before.planChoices.map((p) => p.id)).not.toContain(plan.id);
    await changePlan(ctx, { subscriptionId: subscription.id, planId: premium.id, when: "period_end" });
    const after = await getSubscriptionDetail(ctx, subscription.id);
    expect(after.pendingPlan).toEqual({ id: premium.id, name: "プレミアム" });
    expect(after.nextCharge).toMatchObject({ kind: "renewal", total: 5140 });
  });

  it("a declined renewal: the overdue invoice is what a retry collects, and the next charge is its first retry", async () => {
    const { subscription, paymentMethod, clock } = await signedUpContract(m, priced);
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "decline");
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-10T09:00:00") });
    const detail = await getSubscriptionDetail(m.ctx(), subscription.id);
    expect(detail.subscription.status).toBe("past_due");
    expect(detail.owedInvoice).toEqual({ id: detail.subscription.overdueInvoiceId, total: 3000, currency: "jpy" });
    expect(detail.nextCharge).toMatchObject({ kind: "retry", at: jst("2027-02-17T00:00:00"), total: 3000 });
  });

  it("a card usable through this month only is flagged as expiring", async () => {
    const start = jst("2027-03-05T12:00:00");
    const { subscription, customer } = await signedUpContract(m, { amount: 1000, interval: "month" }, start);
    const token = await m.gateway.testControls.createToken({ number: "4242424242424242", expMonth: 3, expYear: 2027, cvc: "123" }, start);
    const card = await addPaymentMethod(m.ctx(), { customerId: customer.id, token: token.id });
    await updateSubscriptionPaymentMethod(m.ctx(), { subscriptionId: subscription.id, paymentMethodId: card.id });
    expect((await getSubscriptionDetail(m.ctx(), subscription.id)).card).toMatchObject({ expMonth: 3, expYear: 2027, expiry: "expiring" });
  });

  it("another merchant's contract is not found", async () => {
    const { subscription } = await signedUpContract(m);
    const other = await setupTestMerchant(database);
    expect((await rejection(getSubscriptionDetail(other.ctx(), subscription.id))).code).toBe("not_found");
    expect((await rejection(getSubscriptionDetail(m.ctx(), "sub_nope"))).code).toBe("not_found");
  });
});

describe("subscriptionAuditTrail", () => {
  let database: Database;
  let m: TestMerchant;
  beforeAll(async () => {
    database = await openTestDatabase();
    m = await setupTestMerchant(database);
  });
  afterAll(async () => database.close());

  it("what was done to the contract and its invoices, newest first, each actor named; nothing of other contracts", async () => {
    const { subscription } = await signedUpContract(m);
    const { subscription: another } = await signedUpContract(m);
    const ctx = m.ctx();
    const { staffUserId } = await createStaffUser(ctx, { email: `op-${Date.now()}@staff.test`, name: "佐藤 オペ", password: "operator-password", role: "operator" });
    const staff = staffContext(testPlatform(database.db, { clock: ctx.clock, gateway: m.gateway }), { merchantId: m.merchantId, staffUserId, role: "operator" });
    const extra = await chargeAdditional(staff, { subscriptionId: subscription.id, amount: 800 });
    await refundInvoice(ctx, { invoiceId: extra.id, reason: "重複" });
    await cancelSubscription(staff, { subscriptionId: subscription.id, atPeriodEnd: false, reason: "退会希望" });
    await cancelSubscription(ctx, { subscriptionId: another.id, atPeriodEnd: false });

    const trail = await subscriptionAuditTrail(ctx, subscription.id);
    expect(trail.hasMore).toBe(false);
    const rows = trail.rows.map((r) => [r.action, r.actor.type, "name" in r.actor ? r.actor.name : null]);
    expect(rows).toEqual([
      ["subscription.canceled", "staff", "佐藤 オペ"],
      ["invoice.refunded", "operator", null],
      ["invoice.paid", "staff", "佐藤 オペ"],
      ["invoice.additional_charge", "staff", "佐藤 オペ"],
      ["invoice.paid", "operator", null],
      ["subscription.created", "operator", null],
    ]);
    expect(trail.rows[0]).toMatchObject({ actor: { role: "operator" }, data: { reason: "退会希望", atPeriodEnd: false } });
    expect((await subscriptionAuditTrail(ctx, subscription.id, 2)).hasMore).toBe(true);
  });
});
