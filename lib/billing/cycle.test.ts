import fc from "fast-check";
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { compareDates, daysBetween, type LocalDate, weekdayOf } from "./calendar";
import { addCycles, billingAnchorFor, billingDateOnOrAfter, fullCycleAlignedForward } from "./cycle";
import { BILLING_INTERVALS, type BillingInterval, isWeekInterval } from "./plan";

const d = (text: string) => Temporal.PlainDate.from(text);
const str = (date: LocalDate) => date.toString();

const MONTHS: Record<BillingInterval, number> = { week: 0, "2week": 0, month: 1, "3month": 3, "6month": 6, year: 12 };
const WEEKS: Record<BillingInterval, number> = { week: 1, "2week": 2, month: 0, "3month": 0, "6month": 0, year: 0 };
const MONTH_INTERVALS = BILLING_INTERVALS.filter((i) => !isWeekInterval(i));
const WEEK_INTERVALS = BILLING_INTERVALS.filter((i) => isWeekInterval(i));

const EPOCH = d("2000-01-01");
const dateArb = fc.integer({ min: 0, max: 365 * 60 }).map((days) => EPOCH.add({ days }));
const monthIntervalArb = fc.constantFrom(...MONTH_INTERVALS);
const weekIntervalArb = fc.constantFrom(...WEEK_INTERVALS);
const dayAnchorArb = fc.integer({ min: 1, max: 31 });
const weekdayAnchorArb = fc.integer({ min: 0, max: 6 });
/** A billing date aligned to a day-of-month anchor: the anchor clamped to the month's last day. */
const alignedMonthDateArb = fc
  .record({ year: fc.integer({ min: 2000, max: 2060 }), month: fc.integer({ min: 1, max: 12 }), anchor: dayAnchorArb })
  .map(({ year, month, anchor }) => {
    const yearMonth = Temporal.PlainYearMonth.from({ year, month });
    return { anchor, date: yearMonth.toPlainDate({ day: Math.min(anchor, yearMonth.daysInMonth) }) };
  });

function isAlignedTo(date: LocalDate, interval: BillingInterval, anchor: number): boolean {
  return isWeekInterval(interval) ? weekdayOf(date) === anchor : date.day === Math.min(anchor, date.daysInMonth);
}

/** Walks `steps` cycles from `start`, one at a time. */
function chain(start: string, interval: BillingInterval, anchor: number, steps: number): string[] {
  const dates = [d(start)];
  for (let i = 0; i < steps; i++) dates.push(addCycles(dates.at(-1)!, interval, anchor, 1));
  return dates.map(str);
}

describe("billingAnchorFor", () => {
  it.each<[BillingInterval, number | null, string, number]>([
    ["month", 25, "2027-01-10", 25],
    ["month", 31, "2027-02-10", 31],
    ["3month", 30, "2026-11-30", 30],
    ["year", 29, "2028-02-29", 29],
    ["week", 1, "2027-01-06", 1],
    ["2week", 0, "2027-01-06", 0],
    // The sign-up day: day of month for month-based cycles, weekday for week-based ones.
    ["month", null, "2027-01-31", 31],
    ["6month", null, "2027-08-15", 15],
    ["year", null, "2028-02-29", 29],
    ["week", null, "2027-01-06", 3],
    ["2week", null, "2027-01-10", 0],
  ])("%s, billing day %j, sign-up %s → anchor %i", (interval, billingDay, signup, anchor) => {
    expect(billingAnchorFor(interval, billingDay, d(signup))).toBe(anchor);
  });
});

describe("addCycles: month ends and remembered anchors", () => {
  it.each<[string, BillingInterval, number, string, string[]]>([
    ["anchor 31 monthly (2027)", "month", 31, "2027-01-31", ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31"]],
    ["anchor 31 monthly (leap 2028)", "month", 31, "2028-01-31", ["2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30", "2028-05-31"]],
    ["anchor 31 monthly across the year end", "month", 31, "2026-11-30", ["2026-11-30", "2026-12-31", "2027-01-31", "2027-02-28", "2027-03-31"]],
    ["anchor 30 monthly", "month", 30, "2027-01-30", ["2027-01-30", "2027-02-28", "2027-03-30", "2027-04-30"]],
    ["anchor 29 monthly", "month", 29, "2027-01-29", ["2027-01-29", "2027-02-28", "2027-03-29"]],
    ["anchor 30 every 3 months", "3month", 30, "2026-11-30", ["2026-11-30", "2027-02-28", "2027-05-30", "2027-08-30", "2027-11-30", "2028-02-29", "2028-05-30"]],
    ["anchor 31 every 3 months", "3month", 31, "2027-01-31", ["2027-01-31", "2027-04-30", "2027-07-31", "2027-10-31", "2028-01-31"]],
    ["anchor 31 every 6 months", "6month", 31, "2027-08-31", ["2027-08-31", "2028-02-29", "2028-08-31", "2029-02-28", "2029-08-31"]],
    ["anchor 29 yearly from Feb 29", "year", 29, "2028-02-29", ["2028-02-29", "2029-02-28", "2030-02-28", "2031-02-28", "2032-02-29"]],
    ["anchor 25 monthly", "month", 25, "2027-01-25", ["2027-01-25", "2027-02-25", "2027-03-25"]],
    ["anchor 1 yearly", "year", 1, "2027-03-01", ["2027-03-01", "2028-03-01", "2029-03-01"]],
    ["weekly on Monday", "week", 1, "2027-01-04", ["2027-01-04", "2027-01-11", "2027-01-18", "2027-01-25", "2027-02-01"]],
    ["weekly on Sunday across the year end", "week", 0, "2026-12-27", ["2026-12-27", "2027-01-03", "2027-01-10"]],
    ["every 2 weeks on Wednesday", "2week", 3, "2027-01-06", ["2027-01-06", "2027-01-20", "2027-02-03", "2027-02-17", "2027-03-03"]],
    ["every 2 weeks on Tuesday through Feb 29", "2week", 2, "2028-02-15", ["2028-02-15", "2028-02-29", "2028-03-14"]],
  ])("%s", (_, interval, anchor, start, expected) => {
    expect(chain(start, interval, anchor, expected.length - 1)).toEqual(expected);
  });

  it.each<[string, BillingInterval, number, number, string]>([
    ["2027-01-31", "month", 31, -1, "2026-12-31"],
    ["2027-03-31", "month", 31, -1, "2027-02-28"],
    ["2028-03-31", "month", 31, -1, "2028-02-29"],
    ["2027-05-30", "3month", 30, -1, "2027-02-28"],
    ["2027-02-28", "3month", 30, -1, "2026-11-30"],
    ["2032-02-29", "year", 29, -4, "2028-02-29"],
    ["2028-02-29", "year", 29, 1, "2029-02-28"],
    ["2027-01-31", "month", 31, 13, "2028-02-29"],
    ["2027-01-25", "month", 25, 0, "2027-01-25"],
    ["2027-01-25", "month", 25, -1, "2026-12-25"],
    ["2027-01-11", "week", 1, -2, "2026-12-28"],
    ["2027-01-06", "2week", 3, -1, "2026-12-23"],
  ])("%s %s anchor %i, %i cycles → %s", (start, interval, anchor, cycles, expected) => {
    expect(str(addCycles(d(start), interval, anchor, cycles))).toBe(expected);
  });

  it("round-trips: n cycles forward then n back returns to the aligned date (month-based)", () => {
    fc.assert(
      fc.property(alignedMonthDateArb, monthIntervalArb, fc.integer({ min: -60, max: 60 }), ({ anchor, date }, interval, n) => {
        const there = addCycles(date, interval, anchor, n);
        expect(str(addCycles(there, interval, anchor, -n))).toBe(str(date));
      }),
    );
  });

  it("round-trips for week-based cycles", () => {
    fc.assert(
      fc.property(dateArb, weekIntervalArb, fc.integer({ min: -200, max: 200 }), (date, interval, n) => {
        const anchor = weekdayOf(date);
        expect(str(addCycles(addCycles(date, interval, anchor, n), interval, anchor, -n))).toBe(str(date));
      }),
    );
  });

  it("every billing date's day is min(anchor, days in month), n × cycle months away", () => {
    fc.assert(
      fc.property(alignedMonthDateArb, monthIntervalArb, fc.integer({ min: -60, max: 60 }), ({ anchor, date }, interval, n) => {
        const next = addCycles(date, interval, anchor, n);
        expect(next.day).toBe(Math.min(anchor, next.daysInMonth));
        const monthIndex = (x: LocalDate) => x.year * 12 + x.month;
        expect(monthIndex(next) - monthIndex(date)).toBe(n * MONTHS[interval]);
      }),
    );
  });

  it("walking one cycle at a time equals jumping n cycles (the anchor is remembered, not eroded)", () => {
    fc.assert(
      fc.property(alignedMonthDateArb, monthIntervalArb, fc.integer({ min: 0, max: 30 }), ({ anchor, date }, interval, n) => {
        let walked = date;
        for (let i = 0; i < n; i++) walked = addCycles(walked, interval, anchor, 1);
        expect(str(walked)).toBe(str(addCycles(date, interval, anchor, n)));
      }),
    );
  });

  it("week-based cycles are exactly 7 or 14 days and keep the weekday", () => {
    fc.assert(
      fc.property(dateArb, weekIntervalArb, fc.integer({ min: -100, max: 100 }), (date, interval, n) => {
        const anchor = weekdayOf(date);
        const next = addCycles(date, interval, anchor, n);
        expect(daysBetween(date, next)).toBe(7 * WEEKS[interval] * n);
        expect(weekdayOf(next)).toBe(anchor);
      }),
    );
  });

  it("billing dates strictly increase", () => {
    fc.assert(
      fc.property(alignedMonthDateArb, fc.constantFrom(...BILLING_INTERVALS), ({ anchor, date }, interval) => {
        const a = isWeekInterval(interval) ? weekdayOf(date) : anchor;
        expect(compareDates(addCycles(date, interval, a, 1), date)).toBe(1);
      }),
    );
  });
});

describe("billingDateOnOrAfter", () => {
  it.each<[string, BillingInterval, number, string]>([
    ["2027-01-10", "month", 25, "2027-01-25"],
    ["2027-01-25", "month", 25, "2027-01-25"],
    ["2027-01-26", "month", 25, "2027-02-25"],
    ["2027-12-26", "month", 25, "2028-01-25"],
    ["2027-02-10", "month", 31, "2027-02-28"],
    ["2028-02-10", "month", 31, "2028-02-29"],
    ["2027-02-28", "month", 31, "2027-02-28"],
    ["2027-03-01", "month", 31, "2027-03-31"],
    ["2027-02-28", "month", 30, "2027-02-28"],
    ["2027-01-31", "month", 30, "2027-02-28"],
    ["2027-04-30", "month", 31, "2027-04-30"],
    ["2027-01-10", "3month", 25, "2027-01-25"],
    ["2027-01-10", "year", 1, "2027-02-01"],
    ["2027-01-01", "year", 1, "2027-01-01"],
    ["2027-01-06", "week", 1, "2027-01-11"], // Wed → Mon
    ["2027-01-04", "week", 1, "2027-01-04"], // Mon stays
    ["2027-01-09", "week", 0, "2027-01-10"], // Sat → Sun
    ["2027-01-10", "week", 0, "2027-01-10"],
    ["2027-01-10", "week", 6, "2027-01-16"], // Sun → Sat
    ["2027-12-30", "2week", 1, "2028-01-03"],
  ])("%s %s anchor %i → %s", (date, interval, anchor, expected) => {
    expect(str(billingDateOnOrAfter(d(date), interval, anchor))).toBe(expected);
  });

  it("is on or after the input, aligned, the first such date, and within one cycle", () => {
    fc.assert(
      fc.property(dateArb, fc.constantFrom(...BILLING_INTERVALS), dayAnchorArb, weekdayAnchorArb, (date, interval, dayAnchor, weekday) => {
        const anchor = isWeekInterval(interval) ? weekday : dayAnchor;
        const result = billingDateOnOrAfter(date, interval, anchor);
        expect(compareDates(result, date)).toBeGreaterThanOrEqual(0);
        expect(isAlignedTo(result, interval, anchor)).toBe(true);
        // Nothing aligned lies between the input and the result.
        for (let day = date; compareDates(day, result) < 0; day = day.add({ days: 1 })) expect(isAlignedTo(day, interval, anchor)).toBe(false);
        if (isWeekInterval(interval)) {
          expect(daysBetween(date, result)).toBeLessThan(7 * WEEKS[interval]);
        } else {
          expect(daysBetween(date, result)).toBeLessThan(31);
          // Not later than one cycle on: `<=`, not `<`, because Jan 31 + 1 month clamps to Feb 28, which is
          // exactly the next billing date for anchor 30.
          expect(compareDates(result, date.add({ months: MONTHS[interval] }))).toBeLessThanOrEqual(0);
        }
      }),
    );
  });

  it("is the identity on aligned dates", () => {
    fc.assert(
      fc.property(alignedMonthDateArb, monthIntervalArb, ({ anchor, date }, interval) => {
        expect(str(billingDateOnOrAfter(date, interval, anchor))).toBe(str(date));
      }),
    );
  });
});

describe("fullCycleAlignedForward", () => {
  it.each<[string, BillingInterval, number, boolean, string]>([
    ["2027-03-10", "month", 25, true, "2027-04-25"],
    ["2027-03-24", "month", 25, true, "2027-04-25"],
    ["2027-03-25", "month", 25, true, "2027-04-25"],
    ["2027-03-26", "month", 25, true, "2027-05-25"],
    ["2027-03-10", "month", 10, false, "2027-04-10"],
    ["2027-01-31", "month", 31, false, "2027-02-28"],
    ["2028-01-31", "month", 31, true, "2028-02-29"],
    ["2027-03-10", "3month", 25, true, "2027-06-25"],
    ["2027-03-10", "year", 25, true, "2028-03-25"],
    ["2028-02-29", "year", 29, false, "2029-02-28"],
    ["2027-03-10", "week", 1, true, "2027-03-22"], // Wed + 1 week = Wed 17th → Mon 22nd
    ["2027-03-10", "week", 3, false, "2027-03-17"],
    ["2027-03-10", "2week", 1, true, "2027-03-29"],
  ])("%s %s anchor %i align=%s → %s", (from, interval, anchor, align, expected) => {
    expect(str(fullCycleAlignedForward(d(from), interval, anchor, align))).toBe(expected);
  });

  it("covers at least one full cycle, is aligned when asked, and overshoots by less than a month or a week", () => {
    fc.assert(
      fc.property(dateArb, fc.constantFrom(...BILLING_INTERVALS), dayAnchorArb, weekdayAnchorArb, fc.boolean(), (from, interval, dayAnchor, weekday, align) => {
        const anchor = isWeekInterval(interval) ? weekday : dayAnchor;
        const oneCycle = isWeekInterval(interval) ? from.add({ weeks: WEEKS[interval] }) : from.add({ months: MONTHS[interval] });
        const result = fullCycleAlignedForward(from, interval, anchor, align);
        expect(compareDates(result, oneCycle)).toBeGreaterThanOrEqual(0);
        if (align) {
          expect(isAlignedTo(result, interval, anchor)).toBe(true);
          expect(daysBetween(oneCycle, result)).toBeLessThan(isWeekInterval(interval) ? 7 : 31);
        } else {
          expect(str(result)).toBe(str(oneCycle));
        }
      }),
    );
  });
});
