import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MoneyError } from "./money";
import { TAX_BEHAVIORS, TAX_RATES, type TaxBehavior } from "./plan";
import { invoiceTotals, type TaxedLine } from "./tax";

const line = (amount: number, taxRate = 10): TaxedLine => ({ amount, taxRate });

describe("invoiceTotals", () => {
  it.each<[string, TaxedLine[], TaxBehavior, { subtotal: number; tax: number; total: number }]>([
    ["no lines", [], "exclusive", { subtotal: 0, tax: 0, total: 0 }],
    ["no lines, inclusive", [], "inclusive", { subtotal: 0, tax: 0, total: 0 }],
    // Exclusive: tax is added on top.
    ["exclusive 10 %", [line(3000)], "exclusive", { subtotal: 3000, tax: 300, total: 3300 }],
    ["exclusive 10 %, rounded down", [line(3100)], "exclusive", { subtotal: 3100, tax: 310, total: 3410 }],
    ["exclusive 10 %, 99.9 → 99", [line(999)], "exclusive", { subtotal: 999, tax: 99, total: 1098 }],
    ["exclusive 8 %", [line(1000, 8)], "exclusive", { subtotal: 1000, tax: 80, total: 1080 }],
    ["exclusive 8 %, 79.92 → 79", [line(999, 8)], "exclusive", { subtotal: 999, tax: 79, total: 1078 }],
    // Inclusive: the price already contains the tax; tax = amount × rate / (100 + rate), rounded down.
    ["inclusive 10 %", [line(3300)], "inclusive", { subtotal: 3000, tax: 300, total: 3300 }],
    ["inclusive 10 %, 90.9 → 90", [line(1000)], "inclusive", { subtotal: 910, tax: 90, total: 1000 }],
    ["inclusive 10 %, 3,100 → 281", [line(3100)], "inclusive", { subtotal: 2819, tax: 281, total: 3100 }],
    ["inclusive 8 %", [line(1080, 8)], "inclusive", { subtotal: 1000, tax: 80, total: 1080 }],
    ["inclusive 8 %, 74.07 → 74", [line(1000, 8)], "inclusive", { subtotal: 926, tax: 74, total: 1000 }],
    // Once per invoice per rate, not per line: three 5-yen lines are 1.5 → 1 yen, not 0 + 0 + 0.
    ["per invoice, not per line (exclusive)", [line(5), line(5), line(5)], "exclusive", { subtotal: 15, tax: 1, total: 16 }],
    ["per invoice, not per line (inclusive)", [line(11), line(11), line(11), line(11)], "inclusive", { subtotal: 40, tax: 4, total: 44 }],
    // …and per rate: 1.9 → 1 at 10 % and 1.52 → 1 at 8 %, so 2 and not ⌊3.42⌋ = 3.
    ["per rate (exclusive)", [line(19, 10), line(19, 8)], "exclusive", { subtotal: 38, tax: 2, total: 40 }],
    ["mixed rates (exclusive)", [line(1000, 10), line(500, 8), line(2000, 10)], "exclusive", { subtotal: 3500, tax: 340, total: 3840 }],
    ["mixed rates (inclusive)", [line(1100, 10), line(1080, 8)], "inclusive", { subtotal: 2000, tax: 180, total: 2180 }],
    ["a joining fee and a prorated period", [line(5000), line(1500)], "exclusive", { subtotal: 6500, tax: 650, total: 7150 }],
    ["zero amounts", [line(0), line(0, 8)], "inclusive", { subtotal: 0, tax: 0, total: 0 }],
    ["1 yen", [line(1)], "exclusive", { subtotal: 1, tax: 0, total: 1 }],
    // Amounts whose product with the rate is beyond 2^53 are still taxed exactly (no float on the way).
    ["huge amount, exclusive", [line(8_000_000_000_000_010)], "exclusive", { subtotal: 8_000_000_000_000_010, tax: 800_000_000_000_001, total: 8_800_000_000_000_011 }],
    ["huge amount, inclusive", [line(8_000_000_000_000_010)], "inclusive", { subtotal: 7_272_727_272_727_282, tax: 727_272_727_272_728, total: 8_000_000_000_000_010 }],
  ])("%s", (_, lines, behavior, expected) => {
    expect(invoiceTotals(lines, behavior)).toEqual(expected);
  });

  it.each([0.5, 1000.1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])("rejects a line of %d (not an integer of minor units)", (amount) => {
    expect(() => invoiceTotals([line(amount)], "exclusive")).toThrow(MoneyError);
  });

  const linesArb = (max: number) =>
    fc.array(
      fc.record({
        // Small amounts and amounts close to the maximum, where a float product would lose precision.
        amount: fc.oneof(fc.integer({ min: 0, max }), fc.integer({ min: Math.floor(max / 2), max })),
        taxRate: fc.constantFrom<number>(...TAX_RATES),
      }),
      { maxLength: 12 },
    );
  it("rejects an invoice whose sum is beyond the safe integers rather than round it", () => {
    const half = Math.ceil(Number.MAX_SAFE_INTEGER / 2) + 1;
    expect(() => invoiceTotals([line(half), line(half)], "inclusive")).toThrow(MoneyError);
    expect(() => invoiceTotals([line(Number.MAX_SAFE_INTEGER)], "exclusive")).toThrow(MoneyError);
  });

  const behaviorArb = fc.constantFrom<TaxBehavior>(...TAX_BEHAVIORS);
  const sum = (lines: readonly TaxedLine[]) => lines.reduce((total, l) => total + l.amount, 0);

  it("total = subtotal + tax, all integers and non-negative", () => {
    fc.assert(
      fc.property(linesArb(10_000_000), behaviorArb, (lines, behavior) => {
        const { subtotal, tax, total } = invoiceTotals(lines, behavior);
        expect(total).toBe(subtotal + tax);
        for (const n of [subtotal, tax, total]) {
          expect(Number.isSafeInteger(n)).toBe(true);
          expect(n).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  it("inclusive: total is the sum of the lines; exclusive: subtotal is the sum of the lines", () => {
    fc.assert(
      fc.property(linesArb(10_000_000), (lines) => {
        expect(invoiceTotals(lines, "inclusive").total).toBe(sum(lines));
        expect(invoiceTotals(lines, "exclusive").subtotal).toBe(sum(lines));
      }),
    );
  });

  it("tax is the rounded-down tax of each rate's sum, computed exactly, even for very large amounts", () => {
    fc.assert(
      fc.property(linesArb(Math.floor(Number.MAX_SAFE_INTEGER / 16)), behaviorArb, (lines, behavior) => {
        let expected = 0n;
        for (const rate of TAX_RATES) {
          const rateSum = lines.filter((l) => l.taxRate === rate).reduce((total, l) => total + BigInt(l.amount), 0n);
          expected += (rateSum * BigInt(rate)) / BigInt(behavior === "inclusive" ? 100 + rate : 100);
        }
        expect(invoiceTotals(lines, behavior).tax).toBe(Number(expected));
      }),
    );
  });

  it("never depends on the order of the lines", () => {
    fc.assert(
      fc.property(linesArb(10_000_000), behaviorArb, (lines, behavior) => {
        expect(invoiceTotals([...lines].reverse(), behavior)).toEqual(invoiceTotals(lines, behavior));
      }),
    );
  });

  it("charges no more tax than per-rate exact tax, and at most one minor unit less per rate", () => {
    fc.assert(
      fc.property(linesArb(10_000_000), behaviorArb, (lines, behavior) => {
        const exact = TAX_RATES.reduce((total, rate) => {
          const rateSum = sum(lines.filter((l) => l.taxRate === rate));
          return total + (rateSum * rate) / (behavior === "inclusive" ? 100 + rate : 100);
        }, 0);
        const { tax } = invoiceTotals(lines, behavior);
        expect(tax).toBeLessThanOrEqual(exact + 1e-6);
        expect(tax).toBeGreaterThan(exact - TAX_RATES.length);
      }),
    );
  });
});
