import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TAX_BEHAVIORS, TAX_RATES } from "./plan";
import { buildReceipt, type ReceiptInput, ReceiptMismatchError } from "./receipt";
import { invoiceTotals } from "./tax";

const line = (description: string, amount: number, taxRate = 10, quantity = 1) => ({ description, amount, quantity, taxRate });
const input = (over: Partial<ReceiptInput> & Pick<ReceiptInput, "lines" | "taxBehavior">): ReceiptInput => ({
  currency: "jpy",
  totals: invoiceTotals(over.lines, over.taxBehavior),
  refunds: [],
  ...over,
});

describe("buildReceipt", () => {
  it("one rate, tax-inclusive: the amount at 10 % as charged, the tax it contains", () => {
    const receipt = buildReceipt(input({ lines: [line("月謝プラン", 3300)], taxBehavior: "inclusive" }));
    expect(receipt.taxes).toEqual([{ rate: 10, reduced: false, taxable: 3300, net: 3000, gross: 3300, tax: 300 }]);
    expect(receipt).toMatchObject({ subtotal: 3000, tax: 300, total: 3300, refunded: 0, net: 3300 });
    expect(receipt.lines).toEqual([{ description: "月謝プラン", amount: 3300, quantity: 1, taxRate: 10, reduced: false }]);
  });

  it("one rate, tax-exclusive: the amount before tax, the tax on top", () => {
    const receipt = buildReceipt(input({ lines: [line("月謝プラン", 3000)], taxBehavior: "exclusive" }));
    expect(receipt.taxes).toEqual([{ rate: 10, reduced: false, taxable: 3000, net: 3000, gross: 3300, tax: 300 }]);
    expect(receipt).toMatchObject({ subtotal: 3000, tax: 300, total: 3300 });
  });

  it("two rates: each rate's amount and tax, rounded down once per rate (not per line), 10 % first, 8 % marked reduced", () => {
    // 8 %: 1,001 + 1,001 = 2,002 → 148.29… → 148 (per line it would be 74 + 74); 10 %: 1,100 → 100.
    const lines = [line("お弁当", 1001, 8), line("配送料", 1100, 10), line("お弁当（追加）", 1001, 8, 2)];
    const inclusive = buildReceipt(input({ lines, taxBehavior: "inclusive" }));
    expect(inclusive.taxes).toEqual([
      { rate: 10, reduced: false, taxable: 1100, net: 1000, gross: 1100, tax: 100 },
      { rate: 8, reduced: true, taxable: 2002, net: 1854, gross: 2002, tax: 148 },
    ]);
    expect(inclusive).toMatchObject({ subtotal: 2854, tax: 248, total: 3102 });
    expect(inclusive.lines.map((l) => l.reduced)).toEqual([true, false, true]);
    // Exclusive: 2,002 × 8 % = 160.16 → 160; 1,100 × 10 % = 110.
    const exclusive = buildReceipt(input({ lines, taxBehavior: "exclusive" }));
    expect(exclusive.taxes).toEqual([
      { rate: 10, reduced: false, taxable: 1100, net: 1100, gross: 1210, tax: 110 },
      { rate: 8, reduced: true, taxable: 2002, net: 2002, gross: 2162, tax: 160 },
    ]);
    expect(exclusive).toMatchObject({ subtotal: 3102, tax: 270, total: 3372 });
  });

  it("credits on the invoice reduce their rate's amount", () => {
    const receipt = buildReceipt(input({ lines: [line("新プラン 日割", 2200), line("旧プラン 未使用分", -1100)], taxBehavior: "inclusive" }));
    expect(receipt.taxes).toEqual([{ rate: 10, reduced: false, taxable: 1100, net: 1000, gross: 1100, tax: 100 }]);
  });

  it("lists refunds and what was paid in the end", () => {
    const at = (d: string) => new Date(`${d}T03:00:00Z`);
    const receipt = buildReceipt(input({ lines: [line("月謝プラン", 5500)], taxBehavior: "inclusive", refunds: [{ amount: 1000, at: at("2027-03-02") }, { amount: 500, at: at("2027-03-05") }] }));
    expect(receipt).toMatchObject({ total: 5500, refunded: 1500, net: 4000 });
    expect(receipt.refunds).toEqual([{ amount: 1000, at: at("2027-03-02") }, { amount: 500, at: at("2027-03-05") }]);
  });

  it("refuses to state amounts other than the invoice's: other totals, or refunds beyond the total", () => {
    const lines = [line("月謝プラン", 3300)];
    // The same lines read as exclusive would claim 3,630: not what was charged.
    expect(() => buildReceipt(input({ lines, taxBehavior: "exclusive", totals: invoiceTotals(lines, "inclusive") }))).toThrow(ReceiptMismatchError);
    expect(() => buildReceipt(input({ lines, taxBehavior: "inclusive", totals: { subtotal: 3000, tax: 300, total: 3400 } }))).toThrow(ReceiptMismatchError);
    expect(() => buildReceipt(input({ lines, taxBehavior: "inclusive", refunds: [{ amount: 3301, at: new Date("2027-03-02T00:00:00Z") }] }))).toThrow(ReceiptMismatchError);
    expect(() => buildReceipt(input({ lines: [line("x", 1.5)], taxBehavior: "inclusive", totals: { subtotal: 0, tax: 0, total: 0 } }))).toThrow();
  });

  it("always adds up to the invoice's totals: per-rate amounts, taxes and totals agree with invoiceTotals", () => {
    const lines = fc.array(fc.record({ description: fc.constant("x"), amount: fc.integer({ min: 0, max: 500_000 }), quantity: fc.constant(1), taxRate: fc.constantFrom(...TAX_RATES) }), { maxLength: 8 });
    fc.assert(
      fc.property(lines, fc.constantFrom(...TAX_BEHAVIORS), (ls, behavior) => {
        const totals = invoiceTotals(ls, behavior);
        const receipt = buildReceipt({ currency: "jpy", taxBehavior: behavior, lines: ls, totals, refunds: [] });
        expect(receipt.taxes.reduce((s, t) => s + t.tax, 0)).toBe(totals.tax);
        expect(receipt.taxes.reduce((s, t) => s + t.gross, 0)).toBe(totals.total);
        for (const t of receipt.taxes) expect(t.gross - t.net).toBe(t.tax);
      }),
    );
  });
});
