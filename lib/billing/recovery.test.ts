import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareDates, daysBetween, localDateOf, startOfLocalDay, weekdayOf } from "./calendar";
import { BILLING_INTERVALS, type BillingInterval, isWeekInterval } from "./plan";
import { recoveredPaidThrough } from "./recovery";

const MONTHS: Record<BillingInterval, number> = { week: 0, "2week": 0, month: 1, "3month": 3, "6month": 6, year: 12 };
const WEEKS: Record<BillingInterval, number> = { week: 1, "2week": 2, month: 0, "3month": 0, "6month": 0, year: 0 };

describe("recoveredPaidThrough", () => {
  it.each<[string, string, BillingInterval, number, boolean, string, string]>([
    // The brief's examples.
    ["billing day 25: paid Mar 10 → Apr 25 00:00 JST", "2027-03-10T05:00:00.000Z", "month", 25, true, "Asia/Tokyo", "2027-04-24T15:00:00.000Z"],
    ["sign-up day plan: exactly one month later", "2027-03-10T05:00:00.000Z", "month", 10, false, "Asia/Tokyo", "2027-04-09T15:00:00.000Z"],
    // The payment date is the merchant's local date.
    ["23:59 JST is still Mar 10", "2027-03-10T14:59:59.000Z", "month", 10, false, "Asia/Tokyo", "2027-04-09T15:00:00.000Z"],
    ["00:00 JST is already Mar 11", "2027-03-10T15:00:00.000Z", "month", 10, false, "Asia/Tokyo", "2027-04-10T15:00:00.000Z"],
    ["00:00 JST Mar 11, billing day 25", "2027-03-10T15:00:00.000Z", "month", 25, true, "Asia/Tokyo", "2027-04-24T15:00:00.000Z"],
    // Aligned forward to the billing day, never backward.
    ["paid the day before the billing day", "2027-03-24T03:00:00.000Z", "month", 25, true, "Asia/Tokyo", "2027-04-24T15:00:00.000Z"],
    ["paid on the billing day", "2027-03-25T03:00:00.000Z", "month", 25, true, "Asia/Tokyo", "2027-04-24T15:00:00.000Z"],
    ["paid the day after the billing day", "2027-03-26T03:00:00.000Z", "month", 25, true, "Asia/Tokyo", "2027-05-24T15:00:00.000Z"],
    // Month ends.
    ["sign-up day 31, paid Jan 31 → Feb 28", "2027-01-31T03:00:00.000Z", "month", 31, false, "Asia/Tokyo", "2027-02-27T15:00:00.000Z"],
    ["billing day 31, paid Jan 15 → Feb 28", "2027-01-15T03:00:00.000Z", "month", 31, true, "Asia/Tokyo", "2027-02-27T15:00:00.000Z"],
    ["billing day 31, paid Jan 15 2028 → Feb 29", "2028-01-15T03:00:00.000Z", "month", 31, true, "Asia/Tokyo", "2028-02-28T15:00:00.000Z"],
    ["billing day 30 every 3 months, paid Nov 30 → Feb 28", "2026-11-30T03:00:00.000Z", "3month", 30, true, "Asia/Tokyo", "2027-02-27T15:00:00.000Z"],
    ["every 6 months", "2027-03-10T03:00:00.000Z", "6month", 25, true, "Asia/Tokyo", "2027-09-24T15:00:00.000Z"],
    ["yearly, paid Feb 29 → Feb 28", "2028-02-29T03:00:00.000Z", "year", 29, false, "Asia/Tokyo", "2029-02-27T15:00:00.000Z"],
    // Weeks: one full week, then forward to the weekday.
    ["weekly on Monday, paid Wednesday", "2027-03-10T03:00:00.000Z", "week", 1, true, "Asia/Tokyo", "2027-03-21T15:00:00.000Z"],
    ["every 2 weeks on Monday, paid Wednesday", "2027-03-10T03:00:00.000Z", "2week", 1, true, "Asia/Tokyo", "2027-03-28T15:00:00.000Z"],
    ["weekly on the sign-up weekday", "2027-03-10T03:00:00.000Z", "week", 3, false, "Asia/Tokyo", "2027-03-16T15:00:00.000Z"],
    // Other zones: local midnight of the local date.
    ["New York, across DST", "2027-03-10T15:00:00.000Z", "month", 25, true, "America/New_York", "2027-04-25T04:00:00.000Z"],
    ["New York, late evening is still the same local day", "2027-03-11T03:00:00.000Z", "month", 10, false, "America/New_York", "2027-04-10T04:00:00.000Z"],
  ])("%s", (_, paidAt, interval, anchor, fixed, zone, expected) => {
    expect(recoveredPaidThrough(new Date(paidAt), interval, anchor, fixed, zone).toISOString()).toBe(expected);
  });

  it("is local midnight, at least one full cycle after the payment date, aligned when the plan has a billing day, and overshoots by less than a month or week", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2050, 0, 1) }).map((ms) => new Date(ms)),
        fc.constantFrom(...BILLING_INTERVALS),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 0, max: 6 }),
        fc.boolean(),
        fc.constantFrom("Asia/Tokyo", "America/New_York", "UTC"),
        (paidAt, interval, dayAnchor, weekday, fixed, zone) => {
          const anchor = isWeekInterval(interval) ? weekday : dayAnchor;
          const result = recoveredPaidThrough(paidAt, interval, anchor, fixed, zone);
          const date = localDateOf(result, zone);
          expect(startOfLocalDay(date, zone).getTime()).toBe(result.getTime());
          const paidDate = localDateOf(paidAt, zone);
          const oneCycle = isWeekInterval(interval) ? paidDate.add({ weeks: WEEKS[interval] }) : paidDate.add({ months: MONTHS[interval] });
          expect(compareDates(date, oneCycle)).toBeGreaterThanOrEqual(0);
          if (fixed) {
            expect(isWeekInterval(interval) ? weekdayOf(date) : date.day).toBe(isWeekInterval(interval) ? anchor : Math.min(anchor, date.daysInMonth));
            expect(daysBetween(oneCycle, date)).toBeLessThan(isWeekInterval(interval) ? 7 : 31);
          } else {
            expect(date.equals(oneCycle)).toBe(true);
          }
        },
      ),
    );
  });
});
