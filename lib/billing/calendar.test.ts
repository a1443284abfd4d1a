import fc from "fast-check";
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import {
  addHours,
  addLocalDays,
  addLocalMonths,
  compareDates,
  daysBetween,
  DEFAULT_TIME_ZONE,
  formatLocalDate,
  instantOfLocalDateTime,
  localDateTimeOf,
  isValidTimeZone,
  localDateOf,
  parseLocalDate,
  startOfLocalDay,
  weekdayOf,
} from "./calendar";

const d = (text: string) => Temporal.PlainDate.from(text);
const at = (iso: string) => new Date(iso);

const EPOCH = d("2000-01-01");
/** Any date from 2000 to about 2060. */
const dateArb = fc.integer({ min: 0, max: 365 * 60 }).map((days) => EPOCH.add({ days }));
const zoneArb = fc.constantFrom("Asia/Tokyo", "UTC", "America/New_York", "Europe/London", "Australia/Sydney", "America/Santiago", "Asia/Kolkata");
const instantArb = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2060, 0, 1) }).map((ms) => new Date(ms));

describe("DEFAULT_TIME_ZONE", () => {
  it("is Asia/Tokyo", () => expect(DEFAULT_TIME_ZONE).toBe("Asia/Tokyo"));
});

describe("startOfLocalDay", () => {
  it.each([
    ["2027-01-25", "Asia/Tokyo", "2027-01-24T15:00:00.000Z"],
    ["2027-03-01", "Asia/Tokyo", "2027-02-28T15:00:00.000Z"],
    ["2028-03-01", "Asia/Tokyo", "2028-02-29T15:00:00.000Z"],
    ["2027-01-01", "Asia/Tokyo", "2026-12-31T15:00:00.000Z"],
    ["2027-01-25", "UTC", "2027-01-25T00:00:00.000Z"],
    ["2027-01-25", "America/New_York", "2027-01-25T05:00:00.000Z"],
    ["2027-07-25", "America/New_York", "2027-07-25T04:00:00.000Z"],
    ["2027-01-25", "Asia/Kolkata", "2027-01-24T18:30:00.000Z"],
    // Chile skips 00:00 on its DST day: the day starts at 01:00 -03.
    ["2024-09-08", "America/Santiago", "2024-09-08T04:00:00.000Z"],
  ])("%s in %s starts at %s", (date, zone, expected) => {
    expect(startOfLocalDay(d(date), zone).toISOString()).toBe(expected);
  });

  it("in Asia/Tokyo is 15:00 UTC of the previous day, for every date", () => {
    fc.assert(
      fc.property(dateArb, (date) => {
        const previous = date.subtract({ days: 1 });
        expect(startOfLocalDay(date, "Asia/Tokyo").getTime()).toBe(Date.UTC(previous.year, previous.month - 1, previous.day, 15));
      }),
    );
  });

  it("falls on the same local date (round trip through localDateOf)", () => {
    fc.assert(
      fc.property(dateArb, zoneArb, (date, zone) => {
        expect(localDateOf(startOfLocalDay(date, zone), zone).equals(date)).toBe(true);
        // …and one millisecond earlier is the previous day.
        const before = new Date(startOfLocalDay(date, zone).getTime() - 1);
        expect(localDateOf(before, zone).equals(date.subtract({ days: 1 }))).toBe(true);
      }),
    );
  });
});

describe("localDateOf", () => {
  it.each([
    ["2027-01-24T14:59:59.999Z", "Asia/Tokyo", "2027-01-24"],
    ["2027-01-24T15:00:00.000Z", "Asia/Tokyo", "2027-01-25"],
    ["2027-01-24T23:59:59.999Z", "Asia/Tokyo", "2027-01-25"],
    ["2027-01-25T00:00:00.000Z", "UTC", "2027-01-25"],
    ["2027-01-24T23:59:59.999Z", "UTC", "2027-01-24"],
    ["2027-01-25T04:59:59.999Z", "America/New_York", "2027-01-24"],
    ["2027-01-25T05:00:00.000Z", "America/New_York", "2027-01-25"],
    ["2028-02-29T14:59:59.999Z", "Asia/Tokyo", "2028-02-29"],
    ["2028-02-29T15:00:00.000Z", "Asia/Tokyo", "2028-03-01"],
    ["2026-12-31T15:00:00.000Z", "Asia/Tokyo", "2027-01-01"],
  ])("%s in %s is %s", (instant, zone, expected) => {
    expect(localDateOf(at(instant), zone).toString()).toBe(expected);
  });

  it("formatLocalDate prints the local date", () => {
    expect(formatLocalDate(at("2027-02-27T15:00:00Z"), "Asia/Tokyo")).toBe("2027-02-28");
    expect(formatLocalDate(at("2027-02-27T15:00:00Z"), "UTC")).toBe("2027-02-27");
  });
});

describe("addLocalMonths", () => {
  it.each([
    // 2027-01-10 09:00 JST + 1 month = 2027-02-10 09:00 JST.
    ["2027-01-10T00:00:00.000Z", 1, "Asia/Tokyo", "2027-02-10T00:00:00.000Z"],
    // The 31st has no match in February: the month's last day, at the same wall-clock time.
    ["2027-01-30T15:00:00.000Z", 1, "Asia/Tokyo", "2027-02-27T15:00:00.000Z"],
    // Midnight JST of Jan 31 is still Jan 30 in UTC: the month is the merchant's, not UTC's.
    ["2027-01-31T03:00:00.000Z", 1, "Asia/Tokyo", "2027-02-28T03:00:00.000Z"],
    // 10:00 EST → 10:00 EDT across New York's spring change.
    ["2027-03-01T15:00:00.000Z", 1, "America/New_York", "2027-04-01T14:00:00.000Z"],
  ])("%s + %i months in %s = %s", (instant, months, zone, expected) => {
    expect(addLocalMonths(at(instant), months, zone).toISOString()).toBe(expected);
  });
});

describe("addLocalDays", () => {
  it.each([
    // Tokyo has no DST: always 24 h a day.
    ["2027-03-01T01:00:00.000Z", 7, "Asia/Tokyo", "2027-03-08T01:00:00.000Z"],
    ["2027-02-27T15:00:00.000Z", 1, "Asia/Tokyo", "2027-02-28T15:00:00.000Z"],
    ["2027-02-27T15:00:00.000Z", -1, "Asia/Tokyo", "2027-02-26T15:00:00.000Z"],
    ["2027-02-27T15:00:00.000Z", 0, "Asia/Tokyo", "2027-02-27T15:00:00.000Z"],
    // New York springs forward on 2027-03-14: 10:00 EST → 10:00 EDT is 7 days minus 1 hour.
    ["2027-03-10T15:00:00.000Z", 7, "America/New_York", "2027-03-17T14:00:00.000Z"],
    ["2027-03-13T15:00:00.000Z", 1, "America/New_York", "2027-03-14T14:00:00.000Z"],
    // …and falls back on 2027-11-07: 10:00 EDT → 10:00 EST.
    ["2027-11-06T14:00:00.000Z", 1, "America/New_York", "2027-11-07T15:00:00.000Z"],
    ["2027-11-07T15:00:00.000Z", -1, "America/New_York", "2027-11-06T14:00:00.000Z"],
    // Local midnight stays local midnight across the change.
    ["2027-03-01T05:00:00.000Z", 60, "America/New_York", "2027-04-30T04:00:00.000Z"],
  ])("%s + %i days in %s = %s", (instant, days, zone, expected) => {
    expect(addLocalDays(at(instant), days, zone).toISOString()).toBe(expected);
  });

  it("keeps the local wall-clock time and moves the local date by exactly n days", () => {
    // Noon local time exists on every day in every zone, so the wall time is always kept.
    fc.assert(
      fc.property(dateArb, zoneArb, fc.integer({ min: -400, max: 400 }), (date, zone, days) => {
        const noon = new Date(date.toZonedDateTime({ timeZone: zone, plainTime: "12:00" }).epochMilliseconds);
        const moved = Temporal.Instant.fromEpochMilliseconds(addLocalDays(noon, days, zone).getTime()).toZonedDateTimeISO(zone);
        expect(moved.toPlainDate().equals(date.add({ days }))).toBe(true);
        expect(moved.toPlainTime().toString()).toBe("12:00:00");
        expect(addLocalDays(addLocalDays(noon, days, zone), -days, zone).getTime()).toBe(noon.getTime());
      }),
    );
  });

  it("is exactly n × 24 h in a zone without DST", () => {
    fc.assert(
      fc.property(instantArb, fc.integer({ min: -1000, max: 1000 }), (instant, days) => {
        expect(addLocalDays(instant, days, "Asia/Tokyo").getTime() - instant.getTime()).toBe(days * 86_400_000);
      }),
    );
  });
});

describe("addHours", () => {
  it("adds elapsed hours, regardless of DST", () => {
    expect(addHours(at("2027-03-14T06:30:00Z"), 1).toISOString()).toBe("2027-03-14T07:30:00.000Z");
    expect(addHours(at("2027-03-14T06:30:00Z"), -25).toISOString()).toBe("2027-03-13T05:30:00.000Z");
  });
});

describe("parseLocalDate", () => {
  it.each(["2027-01-31", "2028-02-29", "2000-02-29"])("accepts %s", (text) => {
    expect(parseLocalDate(text).toString()).toBe(text);
  });
  it.each(["2027-02-29", "2100-02-29", "2027-04-31", "2027-13-01", "2027-00-10", "not a date", ""])("rejects %s", (text) => {
    expect(() => parseLocalDate(text)).toThrow(RangeError);
  });
});

describe("daysBetween and compareDates", () => {
  it.each([
    ["2026-12-25", "2027-01-25", 31],
    ["2027-01-10", "2027-01-25", 15],
    ["2027-01-31", "2027-02-28", 28],
    ["2028-01-31", "2028-02-29", 29],
    ["2027-01-01", "2028-01-01", 365],
    ["2028-01-01", "2029-01-01", 366],
    ["2027-01-25", "2027-01-10", -15],
    ["2027-01-25", "2027-01-25", 0],
  ])("%s → %s is %i days", (from, to, days) => {
    expect(daysBetween(d(from), d(to))).toBe(days);
    expect(Math.sign(compareDates(d(from), d(to))) + Math.sign(days)).toBe(0);
  });

  it("is consistent with add", () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -3000, max: 3000 }), (date, days) => {
        expect(daysBetween(date, date.add({ days }))).toBe(days);
        expect(Math.sign(compareDates(date, date.add({ days }))) + Math.sign(days)).toBe(0);
      }),
    );
  });
});

describe("weekdayOf", () => {
  it.each([
    ["2027-01-03", 0], // Sunday
    ["2027-01-04", 1],
    ["2027-01-05", 2],
    ["2027-01-06", 3],
    ["2027-01-07", 4],
    ["2027-01-08", 5],
    ["2027-01-09", 6], // Saturday
    ["2028-02-29", 2],
  ])("%s is weekday %i (0 = Sunday)", (date, weekday) => {
    expect(weekdayOf(d(date))).toBe(weekday);
  });

  it("agrees with JavaScript's Date.getUTCDay", () => {
    fc.assert(
      fc.property(dateArb, (date) => {
        expect(weekdayOf(date)).toBe(new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay());
      }),
    );
  });
});

describe("isValidTimeZone", () => {
  it.each(["Asia/Tokyo", "UTC", "America/New_York", "Europe/Paris"])("accepts %s", (zone) => expect(isValidTimeZone(zone)).toBe(true));
  it.each(["Asia/Atlantis", "Tokyo", "", "Not a zone"])("rejects %j", (zone) => expect(isValidTimeZone(zone)).toBe(false));
});

describe("instantOfLocalDateTime and localDateTimeOf", () => {
  it("reads a form's wall-clock time in the merchant's zone, and writes it back", () => {
    expect(instantOfLocalDateTime("2027-02-26T10:00", "Asia/Tokyo")).toEqual(new Date("2027-02-26T01:00:00Z"));
    expect(instantOfLocalDateTime("2027-02-26T10:00:30", "UTC")).toEqual(new Date("2027-02-26T10:00:30Z"));
    expect(localDateTimeOf(new Date("2027-02-26T01:00:00Z"), "Asia/Tokyo")).toBe("2027-02-26T10:00");
  });

  it("a time skipped by DST moves forward", () => {
    expect(instantOfLocalDateTime("2027-03-14T02:30", "America/New_York")).toEqual(new Date("2027-03-14T07:30:00Z"));
  });

  it.each(["", "2027-02-30T10:00", "2027-02-26 10:00", "2027-02-26", "10:00", "2027-02-26T25:00", "２０２７-02-26T10:00"])("rejects %j", (text) => {
    expect(instantOfLocalDateTime(text, "Asia/Tokyo")).toBeNull();
  });
});
