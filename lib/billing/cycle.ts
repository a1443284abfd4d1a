import { Temporal } from "temporal-polyfill";
import { compareDates, type LocalDate, weekdayOf } from "./calendar";
import { type BillingInterval, isWeekInterval } from "./plan";
import { remembered } from "./remembered";

/** Months (or weeks) one period spans. */
function cycleLength(interval: BillingInterval): { weeks: number } | { months: number } {
  switch (interval) {
    case "week":
      return { weeks: 1 };
    case "2week":
      return { weeks: 2 };
    case "month":
      return { months: 1 };
    case "3month":
      return { months: 3 };
    case "6month":
      return { months: 6 };
    case "year":
      return { months: 12 };
  }
}

/**
 * The day every period boundary is aligned to: a day of month 1–31 (kept even in months that are shorter,
 * so that 31 means month-end every month) or a weekday 0–6 for week intervals.
 */
export function billingAnchorFor(interval: BillingInterval, billingDay: number | null, signupDate: LocalDate): number {
  if (billingDay !== null) return billingDay;
  return isWeekInterval(interval) ? weekdayOf(signupDate) : signupDate.day;
}

/** The anchor day in a given month, clamped to the month's last day. */
function anchoredDay(yearMonth: Temporal.PlainYearMonth, anchor: number): LocalDate {
  return yearMonth.toPlainDate({ day: Math.min(anchor, yearMonth.daysInMonth) });
}

/** A billing date `cycles` periods after (or before, if negative) an aligned billing date. */
export const addCycles = remembered(
  (date: LocalDate, interval: BillingInterval, anchor: number, cycles: number) => `${date.toString()}|${interval}|${anchor}|${cycles}`,
  (date: LocalDate, interval: BillingInterval, anchor: number, cycles: number): LocalDate => {
    const length = cycleLength(interval);
    if ("weeks" in length) return date.add({ weeks: length.weeks * cycles });
    const yearMonth = date.toPlainYearMonth().add({ months: length.months * cycles });
    return anchoredDay(yearMonth, anchor);
  },
);

/** The first billing date on or after a date. */
export const billingDateOnOrAfter = remembered(
  (date: LocalDate, interval: BillingInterval, anchor: number) => `${date.toString()}|${interval}|${anchor}`,
  (date: LocalDate, interval: BillingInterval, anchor: number): LocalDate => {
    if (isWeekInterval(interval)) return date.add({ days: (anchor - weekdayOf(date) + 7) % 7 });
    const sameMonth = anchoredDay(date.toPlainYearMonth(), anchor);
    if (compareDates(sameMonth, date) >= 0) return sameMonth;
    return anchoredDay(date.toPlainYearMonth().add({ months: 1 }), anchor);
  },
);

/** One full cycle after a date, then forward to the next billing date (used when a contract recovers). */
export function fullCycleAlignedForward(from: LocalDate, interval: BillingInterval, anchor: number, alignToAnchor: boolean): LocalDate {
  const length = cycleLength(interval);
  const oneCycleLater = "weeks" in length ? from.add({ weeks: length.weeks }) : from.add({ months: length.months });
  return alignToAnchor ? billingDateOnOrAfter(oneCycleLater, interval, anchor) : oneCycleLater;
}
