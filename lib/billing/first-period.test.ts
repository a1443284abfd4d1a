import fc from "fast-check";
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { compareDates, daysBetween, weekdayOf } from "./calendar";
import { addCycles, billingAnchorFor } from "./cycle";
import { type FirstPaidPeriod, firstPaidPeriod, prorate } from "./first-period";
import { BILLING_INTERVALS, type BillingInterval, FIRST_PERIOD_RULES, type FirstPeriodRule, isWeekInterval, type PlanTerms } from "./plan";

const d = (text: string) => Temporal.PlainDate.from(text);
type PeriodPlan = Pick<PlanTerms, "amount" | "interval" | "billingDay" | "firstPeriod">;

const plan = (overrides: Partial<PeriodPlan> = {}): PeriodPlan => ({ amount: 3100, interval: "month", billingDay: 25, firstPeriod: "prorate", ...overrides });

/** The first period the way the services call it: with the anchor of the plan and the start date. */
function firstPeriodOf(p: PeriodPlan, start: string): FirstPaidPeriod {
  return firstPaidPeriod(p, billingAnchorFor(p.interval, p.billingDay, d(start)), d(start));
}

function plain(period: FirstPaidPeriod) {
  return { ...period, periodStart: period.periodStart.toString(), periodEnd: period.periodEnd.toString() };
}

describe("prorate (日割)", () => {
  it.each([
    // The example: 3,100 JPY × 15 / 31 days.
    [3100, 15, 31, 1500],
    [3100, 31, 31, 3100],
    [3100, 0, 31, 0],
    [3100, 1, 31, 100],
    // Rounded down, never up.
    [1000, 10, 31, 322], // 322.58…
    [1000, 30, 31, 967], // 967.74…
    [3100, 18, 28, 1992], // 1992.86…
    [999, 1, 7, 142], // 142.71…
    [1, 1, 2, 0],
    [0, 15, 31, 0],
    // Large amounts stay exact.
    [Number.MAX_SAFE_INTEGER, 1, 1, Number.MAX_SAFE_INTEGER],
    [Number.MAX_SAFE_INTEGER, 365, 366, 8_982_589_420_711_644],
  ])("%i × %i / %i = %i", (amount, days, cycleDays, expected) => {
    expect(prorate(amount, days, cycleDays)).toBe(expected);
  });

  it.each([
    [1000, 1, 0],
    [1000, 32, 31],
    [1000, -1, 31],
    [1000, 1, -7],
  ])("rejects %i × %i / %i", (amount, days, cycleDays) => {
    expect(() => prorate(amount, days, cycleDays)).toThrow(RangeError);
  });

  it("is between 0 and the amount, the full amount for a full cycle, and the largest integer share not above the exact one", () => {
    fc.assert(
      fc.property(
        fc.maxSafeNat(),
        fc.integer({ min: 1, max: 366 }).chain((cycleDays) => fc.tuple(fc.constant(cycleDays), fc.integer({ min: 0, max: cycleDays }))),
        (amount, [cycleDays, days]) => {
          const share = prorate(amount, days, cycleDays);
          expect(Number.isSafeInteger(share)).toBe(true);
          expect(share).toBeGreaterThanOrEqual(0);
          expect(share).toBeLessThanOrEqual(amount);
          // share ≤ amount × days / cycleDays < share + 1, computed exactly.
          const remainder = BigInt(amount) * BigInt(days) - BigInt(share) * BigInt(cycleDays);
          expect(remainder >= 0n && remainder < BigInt(cycleDays)).toBe(true);
          expect(prorate(amount, cycleDays, cycleDays)).toBe(amount);
          expect(prorate(amount, 0, cycleDays)).toBe(0);
        },
      ),
    );
  });

  it("grows with the number of days", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 2, max: 366 }), (amount, cycleDays) => {
        for (let days = 1; days <= cycleDays; days++) expect(prorate(amount, days, cycleDays)).toBeGreaterThanOrEqual(prorate(amount, days - 1, cycleDays));
      }),
      { numRuns: 30 },
    );
  });
});

describe("firstPaidPeriod", () => {
  it("prorates the issue's example: 3,100 JPY monthly, billing day 25, sign-up Jan 10 → 15/31 days → 1,500 JPY", () => {
    expect(plain(firstPeriodOf(plan(), "2027-01-10"))).toEqual({
      periodStart: "2027-01-10",
      periodEnd: "2027-01-25",
      periodAmount: 1500,
      kind: "prorated",
      proration: { days: 15, cycleDays: 31 },
    });
  });

  it.each<[string, PeriodPlan, string, Partial<ReturnType<typeof plain>>]>([
    // The cycle that contains the start is the one from the previous billing date to the first one.
    ["February, anchor 31", plan({ billingDay: 31 }), "2027-02-10", { periodEnd: "2027-02-28", periodAmount: 1992, proration: { days: 18, cycleDays: 28 } }],
    ["leap February, anchor 31", plan({ billingDay: 31 }), "2028-02-10", { periodEnd: "2028-02-29", periodAmount: 2031, proration: { days: 19, cycleDays: 29 } }],
    ["March 1, anchor 31", plan({ billingDay: 31 }), "2027-03-01", { periodEnd: "2027-03-31", periodAmount: 3000, proration: { days: 30, cycleDays: 31 } }],
    ["after the billing day: up to next month's", plan(), "2027-01-26", { periodEnd: "2027-02-25", periodAmount: 3000, proration: { days: 30, cycleDays: 31 } }],
    ["the day before the billing day", plan(), "2027-01-24", { periodEnd: "2027-01-25", periodAmount: 100, proration: { days: 1, cycleDays: 31 } }],
    ["every 3 months", plan({ interval: "3month", amount: 9200 }), "2027-01-10", { periodEnd: "2027-01-25", periodAmount: 1500, proration: { days: 15, cycleDays: 92 } }],
    ["every 6 months", plan({ interval: "6month", amount: 18_400 }), "2027-01-10", { periodEnd: "2027-01-25", periodAmount: 1500, proration: { days: 15, cycleDays: 184 } }],
    ["yearly (365 days)", plan({ interval: "year", amount: 36_500 }), "2027-01-10", { periodEnd: "2027-01-25", periodAmount: 1500, proration: { days: 15, cycleDays: 365 } }],
    ["yearly (366 days)", plan({ interval: "year", amount: 36_600 }), "2028-03-10", { periodEnd: "2028-03-25", periodAmount: 1500, proration: { days: 15, cycleDays: 366 } }],
    ["weekly on Monday from Wednesday", plan({ interval: "week", billingDay: 1, amount: 700 }), "2027-01-06", { periodEnd: "2027-01-11", periodAmount: 500, proration: { days: 5, cycleDays: 7 } }],
    ["every 2 weeks on Monday from Wednesday", plan({ interval: "2week", billingDay: 1, amount: 1400 }), "2027-01-06", { periodEnd: "2027-01-11", periodAmount: 500, proration: { days: 5, cycleDays: 14 } }],
    ["weekly on Sunday from Saturday, rounded down", plan({ interval: "week", billingDay: 0, amount: 1000 }), "2027-01-09", { periodEnd: "2027-01-10", periodAmount: 142, proration: { days: 1, cycleDays: 7 } }],
  ])("prorates: %s", (_, p, start, expected) => {
    expect(plain(firstPeriodOf(p, start))).toMatchObject({ periodStart: start, kind: "prorated", ...expected });
  });

  it.each<[FirstPeriodRule, string, number]>([
    ["full", "partial_charged_in_full", 3100],
    ["free", "free_until_billing_day", 0],
  ])("%s: the partial period up to the billing day is %s", (rule, kind, amount) => {
    const period = firstPeriodOf(plan({ firstPeriod: rule }), "2027-01-10");
    expect(plain(period)).toEqual({ periodStart: "2027-01-10", periodEnd: "2027-01-25", periodAmount: amount, kind });
  });

  it.each<[string, PeriodPlan, string, string]>([
    ["the billing day itself", plan(), "2027-01-25", "2027-02-25"],
    ["Feb 28 is the billing day for anchor 31", plan({ billingDay: 31 }), "2027-02-28", "2027-03-31"],
    ["Feb 29 is the billing day for anchor 30 in 2028", plan({ billingDay: 30 }), "2028-02-29", "2028-03-30"],
    ["Jan 31 for anchor 31", plan({ billingDay: 31 }), "2027-01-31", "2027-02-28"],
    ["every 3 months, Nov 30, anchor 30", plan({ interval: "3month", billingDay: 30 }), "2026-11-30", "2027-02-28"],
    ["weekly on its weekday", plan({ interval: "week", billingDay: 3 }), "2027-01-06", "2027-01-13"],
    ["every 2 weeks on its weekday", plan({ interval: "2week", billingDay: 3 }), "2027-01-06", "2027-01-20"],
    // No billing day: the sign-up day is the anchor, so the first period is always a full cycle.
    ["sign-up day, monthly", plan({ billingDay: null }), "2027-01-10", "2027-02-10"],
    ["sign-up day Jan 31, monthly", plan({ billingDay: null }), "2027-01-31", "2027-02-28"],
    ["sign-up day, yearly on Feb 29", plan({ billingDay: null, interval: "year" }), "2028-02-29", "2029-02-28"],
    ["sign-up day, weekly", plan({ billingDay: null, interval: "week" }), "2027-01-06", "2027-01-13"],
  ])("starting on %s is one full cycle whatever the rule", (_, p, start, end) => {
    for (const rule of FIRST_PERIOD_RULES) {
      expect(plain(firstPeriodOf({ ...p, firstPeriod: rule }, start))).toEqual({ periodStart: start, periodEnd: end, periodAmount: p.amount, kind: "full_cycle" });
    }
  });

  it("after a trial, a sign-up-day plan is anchored on the day paying starts (the trial end), giving one full cycle", () => {
    const p = plan({ billingDay: null });
    const trialEnd = d("2027-01-24"); // signed up Jan 10 with a 14-day trial
    const period = firstPaidPeriod(p, billingAnchorFor(p.interval, p.billingDay, trialEnd), trialEnd);
    expect(plain(period)).toEqual({ periodStart: "2027-01-24", periodEnd: "2027-02-24", periodAmount: 3100, kind: "full_cycle" });
  });

  it("after a trial, a fixed billing day prorates from the trial end", () => {
    const trialEnd = d("2027-01-24");
    expect(plain(firstPaidPeriod(plan(), 25, trialEnd))).toMatchObject({ periodEnd: "2027-01-25", periodAmount: 100, proration: { days: 1, cycleDays: 31 } });
  });

  const planArb = fc
    .record({
      amount: fc.integer({ min: 0, max: 10_000_000 }),
      interval: fc.constantFrom<BillingInterval>(...BILLING_INTERVALS),
      dayOfMonth: fc.option(fc.integer({ min: 1, max: 31 })),
      weekday: fc.option(fc.integer({ min: 0, max: 6 })),
      firstPeriod: fc.constantFrom<FirstPeriodRule>(...FIRST_PERIOD_RULES),
    })
    .map(({ amount, interval, dayOfMonth, weekday, firstPeriod }): PeriodPlan => ({ amount, interval, billingDay: isWeekInterval(interval) ? weekday : dayOfMonth, firstPeriod }));
  const startArb = fc.integer({ min: 0, max: 365 * 40 }).map((days) => d("2020-01-01").add({ days }));

  it("ends on a billing date after the start, no more than one cycle away, and never costs more than the plan", () => {
    fc.assert(
      fc.property(planArb, startArb, (p, start) => {
        const anchor = billingAnchorFor(p.interval, p.billingDay, start);
        const period = firstPaidPeriod(p, anchor, start);
        expect(period.periodStart.equals(start)).toBe(true);
        expect(compareDates(period.periodEnd, start)).toBe(1);
        expect(compareDates(period.periodEnd, addCycles(addCycles(period.periodEnd, p.interval, anchor, -1), p.interval, anchor, 1))).toBe(0);
        expect(period.periodAmount).toBeGreaterThanOrEqual(0);
        expect(period.periodAmount).toBeLessThanOrEqual(p.amount);
        expect(Number.isSafeInteger(period.periodAmount)).toBe(true);
        // The start lies in the cycle that ends at periodEnd.
        expect(compareDates(addCycles(period.periodEnd, p.interval, anchor, -1), start)).toBeLessThanOrEqual(0);
        switch (period.kind) {
          case "full_cycle":
            expect(period.periodAmount).toBe(p.amount);
            expect(period.periodEnd.equals(addCycles(start, p.interval, anchor, 1))).toBe(true);
            break;
          case "prorated": {
            expect(p.firstPeriod).toBe("prorate");
            const { days, cycleDays } = period.proration!;
            expect(days).toBe(daysBetween(start, period.periodEnd));
            expect(days).toBeGreaterThan(0);
            expect(days).toBeLessThan(cycleDays);
            expect(period.periodAmount).toBe(prorate(p.amount, days, cycleDays));
            break;
          }
          case "partial_charged_in_full":
            expect(p.firstPeriod).toBe("full");
            expect(period.periodAmount).toBe(p.amount);
            break;
          case "free_until_billing_day":
            expect(p.firstPeriod).toBe("free");
            expect(period.periodAmount).toBe(0);
            break;
        }
        if (period.kind !== "full_cycle") {
          expect(p.billingDay).not.toBeNull();
          const aligned = isWeekInterval(p.interval) ? weekdayOf(period.periodEnd) === anchor : period.periodEnd.day === Math.min(anchor, period.periodEnd.daysInMonth);
          expect(aligned).toBe(true);
        }
      }),
    );
  });
});
