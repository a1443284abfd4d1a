import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { atobaraiOrders, auditEvents, customers, mails, scheduledActions } from "@/db/schema";
import { type BillingSettings, DEFAULT_DUNNING_TIMELINE } from "@/lib/billing/billing-settings";
import { enableAtobarai } from "@/test/support/atobarai";
import { openTestDatabase } from "@/test/support/database";
import { contractHistory, jst, type PlanInput, setupTestMerchant, signedUpContract, type TestMerchant } from "@/test/support/merchant";
import { advanceTestClock } from "./advance-test-clock";
import { recordSandboxAtobaraiPayment } from "./atobarai-payments";
import { fixedClock } from "./context";
import { registerAtobaraiOrder } from "./register-atobarai-order";
import { sendAtobaraiFallback } from "./send-atobarai-fallback";
import { updateBillingSettings } from "./update-billing-settings";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

/** The dunning timeline's fallback invoice 3 days after the paid-through date (2027-02-10 12:00 → 2027-02-13 00:00 JST). */
const WITH_FALLBACK: Partial<BillingSettings> = { dunning: { ...DEFAULT_DUNNING_TIMELINE, fallbackInvoice: { enabled: true, daysAfterPaidThrough: 3 } } };
const FALLBACK_AT = jst("2027-02-13T00:00:00");

type Setup = { atobarai?: boolean; buyerKnown?: boolean; settings?: Partial<BillingSettings>; plan?: PlanInput; status?: "unpaid" | "withdrawn" };

/**
 * A contract on a test clock whose card is lost at its first renewal (2027-02-10 12:00): unpaid at once. The customer
 * has a phone and an address on record and, from an earlier 後払い order under the same e-mail, a name in kana.
 */
async function failedRenewal({ atobarai = true, buyerKnown = true, settings = WITH_FALLBACK, plan, status = "unpaid" }: Setup = {}) {
  const m = await setupTestMerchant(database, { settings });
  if (atobarai) await enableAtobarai(database, m.merchantId);
  const contract = await signedUpContract(m, plan);
  if (buyerKnown) {
    await database.db
      .update(customers)
      .set({ phone: "090-1111-2222", address: { postalCode: "100-0001", prefecture: "東京都", city: "千代田区", line1: "千代田1-1" } })
      .where(eq(customers.id, contract.customer.id));
  }
  if (buyerKnown && atobarai) {
    await registerAtobaraiOrder(m.ctx(), {
      orderRef: `EARLIER-${contract.subscription.id}`,
      buyer: { name: "山田 太郎", kana: "ヤマダ タロウ", email: "member@example.jp", phone: "090-1111-2222", postalCode: "100-0001", address: "東京都千代田区千代田1-1" },
      items: [{ name: "緑茶", quantity: 1, unitPrice: 1_200 }],
    });
  }
  await m.gateway.testControls.setCardBehavior(contract.paymentMethod.gatewayRef, "lost_card");
  await advanceTestClock(m.ctx(), { testClockId: contract.clock.id, frozenTime: jst("2027-02-10T12:00:00") });
  const h = await contractHistory(database, contract.subscription.id);
  expect(h.sub.status).toBe(status);
  return { m, ...contract, overdue: h.sub.overdueInvoiceId! };
}

async function fallbackAction(subscriptionId: string) {
  const rows = await database.db
    .select()
    .from(scheduledActions)
    .where(and(eq(scheduledActions.subscriptionId, subscriptionId), eq(scheduledActions.kind, "atobarai_fallback")))
    .orderBy(asc(scheduledActions.dueAt));
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

const ordersFor = (m: TestMerchant, invoiceId: string) =>
  database.db
    .select()
    .from(atobaraiOrders)
    .where(and(eq(atobaraiOrders.merchantId, m.merchantId), eq(atobaraiOrders.fallbackForInvoiceId, invoiceId)));

describe("the dunning timeline's fallback invoice (a konbini / bank invoice sent by itself)", () => {
  it("on its day the overdue invoice goes out as a 後払い invoice; paying it recovers the contract", async () => {
    const { m, clock, subscription, overdue } = await failedRenewal();
    expect(await fallbackAction(subscription.id)).toMatchObject({ status: "pending", dueAt: FALLBACK_AT, invoiceId: overdue });

    // The day before: nothing yet.
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-12T23:00:00") });
    expect(await ordersFor(m, overdue)).toEqual([]);

    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-13T09:00:00") });
    expect(await fallbackAction(subscription.id)).toMatchObject({ status: "done", outcome: "fallback_sent" });
    const [order, ...more] = await ordersFor(m, overdue);
    expect(more).toEqual([]);
    // Sent as staff would send it, to the buyer the customer's record and earlier order say, on the contract's clock.
    expect(order).toMatchObject({
      status: "shipped",
      amount: 3_000,
      buyerName: "山田 太郎",
      buyerKana: "ヤマダ タロウ",
      buyerEmail: "member@example.jp",
      buyerPhone: "090-1111-2222",
      postalCode: "1000001",
      address: "東京都千代田区千代田1-1",
      invoiceDelivery: "mail",
      invoiceIssuedAt: FALLBACK_AT,
      testClockId: clock.id,
    });
    const mailed = await database.db.select().from(mails).where(and(eq(mails.merchantId, m.merchantId), eq(mails.template, "atobarai_invoice")));
    expect(mailed.map((x) => [x.toAddress, x.variables.payment_number, x.links])).toEqual([["member@example.jp", order!.paymentNumber, { atobarai_invoice: order!.id }]]);
    const [audit] = await database.db.select().from(auditEvents).where(and(eq(auditEvents.merchantId, m.merchantId), eq(auditEvents.action, "atobarai.fallback_sent")));
    expect(audit).toMatchObject({ actorType: "system", targetId: subscription.id, data: { invoiceId: overdue, orderId: order!.id, amount: 3_000 } });
    // Still unpaid until the customer pays (a new period from the payment, the usual rule): the notices go on meanwhile.
    let h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("unpaid");
    expect(h.pending.map((a) => a.kind)).toEqual(["dunning_notice", "dunning_notice", "withdrawal"]);

    await recordSandboxAtobaraiPayment(m.ctx(fixedClock(jst("2027-02-15T10:00:00"))), { orderId: order!.id });
    h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "active", overdueInvoiceId: null, paidThrough: jst("2027-03-13T00:00:00") });
    expect(h.invoices.find((i) => i.id === overdue)).toMatchObject({ status: "paid" });
    expect(h.pending.map((a) => a.kind)).toEqual(["renewal"]);
  });

  it("a fallback staff sent already, 後払い off, a customer whose details are incomplete, an invoice not in yen: the step is skipped and says why", async () => {
    const sentByStaff = await failedRenewal();
    await sendAtobaraiFallback(sentByStaff.m.ctx(), { subscriptionId: sentByStaff.subscription.id, buyerKana: "ヤマダ タロウ", buyerPhone: "090-1111-2222", postalCode: "100-0001", address: "東京都千代田区千代田1-1" });
    const atobaraiOff = await failedRenewal({ atobarai: false });
    const unknownBuyer = await failedRenewal({ buyerKnown: false });
    const dollars = await failedRenewal({ plan: { amount: 3000, interval: "month", currency: "usd" } });

    for (const [setup, outcome] of [
      [sentByStaff, "skipped_fallback_already_sent"],
      [atobaraiOff, "skipped_atobarai_off"],
      [unknownBuyer, "skipped_buyer_details_missing"],
      [dollars, "skipped_currency_not_jpy"],
    ] as const) {
      await advanceTestClock(setup.m.ctx(), { testClockId: setup.clock.id, frozenTime: jst("2027-02-14T00:00:00") });
      expect(await fallbackAction(setup.subscription.id)).toMatchObject({ status: "skipped", outcome });
      // Nothing else changed: the contract is unpaid, its notices still to come.
      const h = await contractHistory(database, setup.subscription.id);
      expect(h.sub).toMatchObject({ status: "unpaid", overdueInvoiceId: setup.overdue });
      expect(h.pending.map((a) => a.kind)).toEqual(["dunning_notice", "dunning_notice", "withdrawal"]);
    }
    expect(await ordersFor(sentByStaff.m, sentByStaff.overdue)).toHaveLength(1);
    for (const { m, overdue } of [atobaraiOff, unknownBuyer, dollars]) expect(await ordersFor(m, overdue)).toEqual([]);
  });

  it("a contract recovered or withdrawn before the day gets nothing: the step is called off with it", async () => {
    const recovered = await failedRenewal();
    const staffOrder = await sendAtobaraiFallback(recovered.m.ctx(), { subscriptionId: recovered.subscription.id, buyerKana: "ヤマダ タロウ", buyerPhone: "090-1111-2222", postalCode: "100-0001", address: "東京都千代田区千代田1-1" });
    await recordSandboxAtobaraiPayment(recovered.m.ctx(fixedClock(jst("2027-02-11T10:00:00"))), { orderId: staffOrder.id });
    expect(await fallbackAction(recovered.subscription.id)).toMatchObject({ status: "canceled", outcome: "paid" });

    // Withdrawn at once (no notices, 0 h), before the fallback's day.
    const withdrawn = await failedRenewal({ settings: { dunning: { notices: [], withdraw: { enabled: true, hoursAfterLastNotice: 0 }, fallbackInvoice: { enabled: true, daysAfterPaidThrough: 3 } } }, status: "withdrawn" });
    expect(await fallbackAction(withdrawn.subscription.id)).toMatchObject({ status: "canceled", outcome: "contract_withdraw" });

    for (const { m, clock } of [recovered, withdrawn]) await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-14T00:00:00") });
    expect(await ordersFor(recovered.m, recovered.overdue)).toHaveLength(1);
    expect(await ordersFor(withdrawn.m, withdrawn.overdue)).toEqual([]);
  });

  it("turned on in the settings, it is planned for contracts unpaid already; turned off, called off", async () => {
    const { m, subscription } = await failedRenewal({ settings: {} });
    expect((await contractHistory(database, subscription.id)).pending.some((a) => a.kind === "atobarai_fallback")).toBe(false);
    const on = fixedClock(jst("2027-02-11T09:00:00"));
    await updateBillingSettings(m.ctx(on), { dunning: { ...DEFAULT_DUNNING_TIMELINE, fallbackInvoice: { enabled: true, daysAfterPaidThrough: 3 } } });
    expect(await fallbackAction(subscription.id)).toMatchObject({ status: "pending", dueAt: FALLBACK_AT });
    // A dunning timeline given without it (an API client that predates it) keeps it.
    await updateBillingSettings(m.ctx(on), { dunning: DEFAULT_DUNNING_TIMELINE });
    expect(await fallbackAction(subscription.id)).toMatchObject({ status: "pending", dueAt: FALLBACK_AT });
    await updateBillingSettings(m.ctx(on), { dunning: { ...DEFAULT_DUNNING_TIMELINE, fallbackInvoice: { enabled: false, daysAfterPaidThrough: 3 } } });
    expect(await fallbackAction(subscription.id)).toMatchObject({ status: "canceled", outcome: "settings_changed" });
  });
});
