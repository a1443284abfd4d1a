import { Temporal } from "temporal-polyfill";
import { startOfLocalDay } from "./calendar";

/** Cards get their notice at 00:00 merchant time on the 1st of the month they expire (seed 000). */
export function cardExpiryNoticeAt(expMonth: number, expYear: number, timeZone: string): Date {
  return startOfLocalDay(Temporal.PlainDate.from({ year: expYear, month: expMonth, day: 1 }, { overflow: "reject" }), timeZone);
}

export function expiryMonthKey(expMonth: number, expYear: number): string {
  return `${expYear}-${String(expMonth).padStart(2, "0")}`;
}

/** A card is usable through the last day of its expiry month. */
export function isCardExpired(expMonth: number, expYear: number, today: { year: number; month: number }): boolean {
  return expYear < today.year || (expYear === today.year && expMonth < today.month);
}
