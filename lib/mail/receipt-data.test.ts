import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { merchants } from "@/db/schema";
import { advanceTestClock } from "@/lib/services/advance-test-clock";
import { chargeAdditional } from "@/lib/services/charge-additional";
import { readReceipt } from "@/lib/services/queries/receipt";
import { refundInvoice } from "@/lib/services/refund-invoice";
import { openTestDatabase } from "@/test/support/database";
import { contractHistory, jst, setupTestMerchant, signedUpContract } from "@/test/support/merchant";
import { loadReceiptData } from "./receipt-data";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

describe("loadReceiptData", () => {
  it("a paid invoice of a tax-inclusive 10 % plan: its lines, the amount and tax at 10 %, the date paid in the merchant's time, the registration number", async () => {
    const m = await setupTestMerchant(database);
    await database.db.update(merchants).set({ invoiceRegistrationNumber: "T1234567890123" }).where(eq(merchants.id, m.merchantId));
    const { subscription, plan } = await signedUpContract(m, { amount: 3300, interval: "month", name: "月謝プラン" });
    const [invoice] = (await contractHistory(database, subscription.id)).invoices;
    expect(await loadReceiptData(database.db, m.merchantId, invoice!.id)).toEqual({
      lines: [{ description: expect.stringContaining("月謝プラン"), amount: "¥3,300" }],
      taxes: [{ rate: "10%", taxable: "¥3,300（税込）", tax: "¥300" }],
      total: "¥3,300",
      paidAt: "2027年1月10日",
      invoiceId: invoice!.id,
      registrationNumber: "T1234567890123",
    });
    expect(plan.taxBehavior).toBe("inclusive");
    const en = await loadReceiptData(database.db, m.merchantId, invoice!.id, "en");
    expect(en).toMatchObject({ taxes: [{ rate: "10%", taxable: "¥3,300 (tax incl.)", tax: "¥300" }], paidAt: "January 10, 2027" });
  });

  it("a tax-exclusive 8 % plan: reduced-rate lines marked, tax on top; an extra charge taxed as its contract's plan, dated in merchant time", async () => {
    const m = await setupTestMerchant(database);
    // Paid at 00:30 in Tokyo, still the 9th in UTC: the receipt says the 10th.
    const start = jst("2027-01-10T00:30:00");
    const { subscription } = await signedUpContract(m, { amount: 1000, interval: "month", taxBehavior: "exclusive", taxRate: 8, name: "お弁当定期便" }, start);
    const [first] = (await contractHistory(database, subscription.id)).invoices;
    expect(await loadReceiptData(database.db, m.merchantId, first!.id)).toMatchObject({
      lines: [{ description: expect.stringMatching(/お弁当定期便.* ※$/), amount: "¥1,000" }],
      taxes: [{ rate: "8%（※軽減税率）", taxable: "¥1,000（税抜）", tax: "¥80" }],
      total: "¥1,080",
      paidAt: "2027年1月10日",
      registrationNumber: null,
    });
    const extra = await chargeAdditional(m.ctx(), { subscriptionId: subscription.id, amount: 999, description: "追加のおかず" });
    expect(extra.status).toBe("paid");
    expect(await loadReceiptData(database.db, m.merchantId, extra.id)).toMatchObject({ taxes: [{ rate: "8%（※軽減税率）", taxable: "¥999（税抜）", tax: "¥79" }], total: "¥1,078" });
  });

  it("no receipt for an invoice that is not paid, nor for another merchant's", async () => {
    const m = await setupTestMerchant(database);
    const { subscription, paymentMethod, clock } = await signedUpContract(m);
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "decline");
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-10T12:00:00") });
    const [paid, open] = (await contractHistory(database, subscription.id)).invoices;
    expect(open!.status).toBe("open");
    expect(await loadReceiptData(database.db, m.merchantId, open!.id)).toBeNull();
    const other = await setupTestMerchant(database);
    expect(await loadReceiptData(database.db, other.merchantId, paid!.id)).toBeNull();
    expect(await loadReceiptData(database.db, m.merchantId, "in_missing")).toBeNull();
  });

  it("the receipt (page) lists refunds and what was paid in the end", async () => {
    const m = await setupTestMerchant(database);
    const { subscription } = await signedUpContract(m, { amount: 3300, interval: "month" });
    const [invoice] = (await contractHistory(database, subscription.id)).invoices;
    await refundInvoice(m.ctx(), { invoiceId: invoice!.id, amount: 1000 });
    const view = await readReceipt(database.db, m.merchantId, invoice!.id);
    expect(view!.receipt).toMatchObject({ total: 3300, refunded: 1000, net: 2300, refunds: [{ amount: 1000 }] });
    expect(view).toMatchObject({ merchant: { name: "テスト商店", timeZone: "Asia/Tokyo" }, customer: { name: "山田 太郎", locale: "ja" } });
  });
});
