import { Temporal } from "temporal-polyfill";
import { remembered } from "./remembered";

export type LocalDate = Temporal.PlainDate;
export const DEFAULT_TIME_ZONE = "Asia/Tokyo";

export function isValidTimeZone(timeZone: string): boolean {
  try {
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(timeZone);
    return true;
  } catch {
    return false;
  }
}

const localDateAt = remembered(
  (epochMs: number, timeZone: string) => `${epochMs}@${timeZone}`,
  (epochMs: number, timeZone: string) => Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone).toPlainDate(),
);

const midnightOf = remembered(
  (date: LocalDate, timeZone: string) => `${date.toString()}@${timeZone}`,
  (date: LocalDate, timeZone: string) => date.toZonedDateTime({ timeZone }).epochMilliseconds,
);

/** The calendar date an instant falls on in a time zone. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  return localDateAt(instant.getTime(), timeZone);
}

/** 00:00 local time of a date: the instant a charge falls due. */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  return new Date(midnightOf(date, timeZone));
}

/** Move an instant by whole calendar days in the merchant's zone, keeping its wall-clock time. */
export function addLocalDays(instant: Date, days: number, timeZone: string): Date {
  const zoned = Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(timeZone);
  return new Date(zoned.add({ days }).epochMilliseconds);
}

/** Move an instant by calendar months in the merchant's zone (Jan 31 + 1 month is Feb 28), keeping its wall-clock time. */
export function addLocalMonths(instant: Date, months: number, timeZone: string): Date {
  const zoned = Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(timeZone);
  return new Date(zoned.add({ months }).epochMilliseconds);
}

export function addHours(instant: Date, hours: number): Date {
  return new Date(instant.getTime() + hours * 3_600_000);
}

export function parseLocalDate(text: string): LocalDate {
  return Temporal.PlainDate.from(text, { overflow: "reject" });
}

export function daysBetween(from: LocalDate, to: LocalDate): number {
  return from.until(to, { largestUnit: "days" }).days;
}

export function compareDates(a: LocalDate, b: LocalDate): number {
  return Temporal.PlainDate.compare(a, b);
}

/** 0 = Sunday … 6 = Saturday, the convention of JavaScript and of our API. */
export function weekdayOf(date: LocalDate): number {
  return date.dayOfWeek % 7;
}

/** "2027-02-28" for a date, in mails and timelines. */
export function formatLocalDate(instant: Date, timeZone: string): string {
  return localDateOf(instant, timeZone).toString();
}

/**
 * A wall-clock time typed in a form ("2027-02-26T10:00", an `<input type="datetime-local">` value) as an instant in
 * a time zone; null when it is not such a time. A time skipped by a DST change moves forward, one repeated by it takes
 * the earlier instant (Temporal's "compatible").
 */
export function instantOfLocalDateTime(text: string, timeZone: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text)) return null;
  try {
    return new Date(Temporal.PlainDateTime.from(text, { overflow: "reject" }).toZonedDateTime(timeZone, { disambiguation: "compatible" }).epochMilliseconds);
  } catch {
    return null;
  }
}

/** The other way: an instant as the wall-clock value a datetime-local input shows in a time zone ("2027-02-26T10:00"). */
export function localDateTimeOf(instant: Date, timeZone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(timeZone).toPlainDateTime().toString({ smallestUnit: "minute" });
}
