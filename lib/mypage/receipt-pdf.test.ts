import { extractText, getDocumentProxy } from "unpdf";
import { describe, expect, it } from "vitest";
import { buildReceipt } from "@/lib/billing/receipt";
import { receiptPdf } from "./receipt-pdf";

describe("receiptPdf", () => {
  it("embeds a Japanese font and states what a 適格簡易請求書 needs: issuer, registration number, date, ※, tax per rate", async () => {
    const pdf = await receiptPdf(
      {
        invoiceId: "in_1",
        subscriptionId: "sub_1",
        paidAt: new Date("2027-06-01T00:00:00Z"),
        merchant: { name: "デモ商店", registrationNumber: "T1234567890123", timeZone: "Asia/Tokyo" },
        customer: { id: "cus_1", name: "山田 花子", locale: "ja" },
        productName: "お弁当",
        planName: "週5日コース",
        receipt: buildReceipt({
          currency: "jpy",
          taxBehavior: "inclusive",
          lines: [
            { description: "お弁当（6月分）", amount: 2160, quantity: 1, taxRate: 8 },
            { description: "配送料", amount: 1100, quantity: 1, taxRate: 10 },
          ],
          totals: { subtotal: 3000, tax: 260, total: 3260 },
          refunds: [],
        }),
      },
      "ja",
    );
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.toString("latin1")).toMatch(/FontFile2/);
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true });
    for (const expected of ["領収書", "デモ商店", "T1234567890123", "2027年6月1日", "お弁当（6月分） ※", "8%対象 ※", "10%対象", "¥160", "¥100", "¥3,260"]) {
      expect(text).toContain(expected);
    }
  });
});
