import fc from "fast-check";
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { billingAnchorFor } from "./cycle";
import { firstPaidPeriod } from "./first-period";
import { INVOICE_LINE_KINDS, type InvoiceLineDraft, periodInvoiceLines, type UsageTotal } from "./invoice";
import { sumAmounts } from "./money";
import type { PlanTerms } from "./plan";
import { invoiceTotals } from "./tax";

const d = (text: string) => Temporal.PlainDate.from(text);

const basePlan: PlanTerms = {
  amount: 3100,
  currency: "JPY",
  interval: "month",
  billingDay: 25,
  firstPeriod: "prorate",
  trialDays: null,
  trialUntil: null,
  trialReminderDays: null,
  joiningFee: 5000,
  taxBehavior: "inclusive",
  taxRate: 10,
  usageRates: [
    { metric: "api_calls", unitAmount: 2 },
    { metric: "seats", unitAmount: 500 },
  ],
  retryScheduleDays: null,
};
const plan = (overrides: Partial<PlanTerms> = {}): PlanTerms => ({ ...basePlan, ...overrides });

function firstLines(p: PlanTerms, start: string, includeJoiningFee = true): InvoiceLineDraft[] {
  const period = firstPaidPeriod(p, billingAnchorFor(p.interval, p.billingDay, d(start)), d(start));
  return periodInvoiceLines(p, "スタンダード", period, { includeJoiningFee });
}

/** Lines with dates as strings, for toEqual. */
const plain = (lines: InvoiceLineDraft[]) => lines.map((l) => ({ ...l, periodStart: l.periodStart?.toString(), periodEnd: l.periodEnd?.toString() }));

/** A renewal's lines: the full period that starts on a billing day (the 25th), its usage and a joining fee still owed. */
function renewalInvoiceLines(p: PlanTerms, name: string, start: Temporal.PlainDate, usage: readonly UsageTotal[], includeJoiningFee: boolean): InvoiceLineDraft[] {
  return periodInvoiceLines(p, name, firstPaidPeriod(p, 25, start), { usage, includeJoiningFee });
}

describe("a first period's lines", () => {
  it("puts the joining fee and a full first period in one list", () => {
    expect(plain(firstLines(plan(), "2027-01-25"))).toEqual([
      { kind: "period", description: "スタンダード (毎月) 2027-01-25〜2027-02-25", amount: 3100, quantity: 1, periodStart: "2027-01-25", periodEnd: "2027-02-25" },
      { kind: "joining_fee", description: "入会金", amount: 5000, quantity: 1, periodStart: undefined, periodEnd: undefined },
    ]);
  });

  it("puts the joining fee and a prorated first period in one list (3,100 × 15/31 = 1,500)", () => {
    const lines = firstLines(plan(), "2027-01-10");
    expect(plain(lines)).toEqual([
      { kind: "proration", description: "スタンダード 日割 (15/31日)", amount: 1500, quantity: 1, periodStart: "2027-01-10", periodEnd: "2027-01-25" },
      { kind: "joining_fee", description: "入会金", amount: 5000, quantity: 1, periodStart: undefined, periodEnd: undefined },
    ]);
    expect(sumAmounts(lines.map((l) => l.amount))).toBe(6500);
    expect(invoiceTotals(lines.map((l) => ({ amount: l.amount, taxRate: 10 })), "inclusive")).toEqual({ subtotal: 5910, tax: 590, total: 6500 });
  });

  it("charges the partial period in full under the 'full' rule", () => {
    expect(plain(firstLines(plan({ firstPeriod: "full" }), "2027-01-10"))).toEqual([
      { kind: "period", description: "スタンダード (毎月) 2027-01-10〜2027-01-25", amount: 3100, quantity: 1, periodStart: "2027-01-10", periodEnd: "2027-01-25" },
      { kind: "joining_fee", description: "入会金", amount: 5000, quantity: 1, periodStart: undefined, periodEnd: undefined },
    ]);
  });

  it("has no period line for a free partial period", () => {
    expect(firstLines(plan({ firstPeriod: "free" }), "2027-01-10").map((l) => l.kind)).toEqual(["joining_fee"]);
    expect(firstLines(plan({ firstPeriod: "free" }), "2027-01-10", false)).toEqual([]);
  });

  it.each<[string, Partial<PlanTerms>, boolean]>([
    ["the fee was already collected", {}, false],
    ["the plan has no joining fee", { joiningFee: 0 }, true],
  ])("leaves the joining fee out when %s", (_, overrides, includeJoiningFee) => {
    expect(firstLines(plan(overrides), "2027-01-25", includeJoiningFee).map((l) => l.kind)).toEqual(["period"]);
  });

  it.each<[Partial<PlanTerms>, string, string]>([
    [{ interval: "week", billingDay: 1 }, "2027-01-04", "スタンダード (毎週) 2027-01-04〜2027-01-11"],
    [{ interval: "2week", billingDay: 1 }, "2027-01-04", "スタンダード (隔週) 2027-01-04〜2027-01-18"],
    [{ interval: "3month", billingDay: 30 }, "2026-11-30", "スタンダード (3か月ごと) 2026-11-30〜2027-02-28"],
    [{ interval: "6month", billingDay: null }, "2027-08-31", "スタンダード (6か月ごと) 2027-08-31〜2028-02-29"],
    [{ interval: "year", billingDay: null }, "2028-02-29", "スタンダード (毎年) 2028-02-29〜2029-02-28"],
  ])("describes the period of %j from %s", (overrides, start, description) => {
    expect(firstLines(plan(overrides), start)[0]?.description).toBe(description);
  });
});

describe("a renewal's lines", () => {
  const renewal = (usage: { metric: string; quantity: number }[], includeJoiningFee: boolean, p = plan()) =>
    plain(renewalInvoiceLines(p, "スタンダード", d("2027-02-25"), usage, includeJoiningFee));

  it("bills the period, the usage since the last invoice, and a joining fee still owed", () => {
    expect(
      renewal(
        [
          { metric: "api_calls", quantity: 1200 },
          { metric: "seats", quantity: 3 },
        ],
        true,
      ),
    ).toEqual([
      { kind: "period", description: "スタンダード (毎月) 2027-02-25〜2027-03-25", amount: 3100, quantity: 1, periodStart: "2027-02-25", periodEnd: "2027-03-25" },
      { kind: "usage", description: "api_calls × 1200", amount: 2400, quantity: 1200 },
      { kind: "usage", description: "seats × 3", amount: 1500, quantity: 3 },
      { kind: "joining_fee", description: "入会金", amount: 5000, quantity: 1, periodStart: undefined, periodEnd: undefined },
    ]);
  });

  it("is only the period when there is no usage and no fee owed", () => {
    expect(renewal([], false).map((l) => l.kind)).toEqual(["period"]);
    expect(renewal([], true, plan({ joiningFee: 0 })).map((l) => l.kind)).toEqual(["period"]);
  });

  it("skips usage of zero quantity and metrics the plan does not price", () => {
    expect(
      renewal(
        [
          { metric: "api_calls", quantity: 0 },
          { metric: "storage_gb", quantity: 10 },
          { metric: "seats", quantity: 1 },
        ],
        false,
      ).map((l) => l.description),
    ).toEqual(["スタンダード (毎月) 2027-02-25〜2027-03-25", "seats × 1"]);
  });

  it("charges the regular amount on every renewal whatever the first period was", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.array(fc.record({ metric: fc.constantFrom("api_calls", "seats", "other"), quantity: fc.integer({ min: 0, max: 10_000 }) }), { maxLength: 5 }),
        fc.boolean(),
        (amount, joiningFee, usage, includeJoiningFee) => {
          const p = plan({ amount, joiningFee });
          const lines = renewalInvoiceLines(p, "P", d("2027-02-25"), usage, includeJoiningFee);
          expect(lines[0]).toMatchObject({ kind: "period", amount });
          const rates = new Map(p.usageRates.map((r) => [r.metric, r.unitAmount]));
          const expectedUsage = usage.reduce((total, u) => total + (rates.get(u.metric) ?? 0) * u.quantity, 0);
          const expectedFee = includeJoiningFee ? joiningFee : 0;
          expect(sumAmounts(lines.map((l) => l.amount))).toBe(amount + expectedUsage + expectedFee);
          for (const l of lines) {
            expect(INVOICE_LINE_KINDS).toContain(l.kind);
            expect(Number.isSafeInteger(l.amount)).toBe(true);
            expect(l.amount).toBeGreaterThanOrEqual(0);
          }
          expect(lines.filter((l) => l.kind === "joining_fee")).toHaveLength(includeJoiningFee && joiningFee > 0 ? 1 : 0);
        },
      ),
    );
  });
});
