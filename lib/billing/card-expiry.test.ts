import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { localDateOf } from "./calendar";
import { cardExpiryNoticeAt, expiryMonthKey, isCardExpired } from "./card-expiry";

describe("cardExpiryNoticeAt", () => {
  it.each<[number, number, string, string]>([
    // 00:00 Asia/Tokyo on the 1st is 15:00 UTC on the last day of the previous month.
    [3, 2027, "Asia/Tokyo", "2027-02-28T15:00:00.000Z"],
    [3, 2028, "Asia/Tokyo", "2028-02-29T15:00:00.000Z"],
    [1, 2027, "Asia/Tokyo", "2026-12-31T15:00:00.000Z"],
    [12, 2027, "Asia/Tokyo", "2027-11-30T15:00:00.000Z"],
    [5, 2027, "Asia/Tokyo", "2027-04-30T15:00:00.000Z"],
    [3, 2027, "UTC", "2027-03-01T00:00:00.000Z"],
    [3, 2027, "America/New_York", "2027-03-01T05:00:00.000Z"],
    [4, 2027, "America/New_York", "2027-04-01T04:00:00.000Z"],
  ])("card expiring %i/%i: notice at 00:00 on the 1st in %s = %s", (month, year, zone, expected) => {
    expect(cardExpiryNoticeAt(month, year, zone).toISOString()).toBe(expected);
  });

  it("falls on the 1st of the expiry month, local time", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2000, max: 2099 }), fc.constantFrom("Asia/Tokyo", "America/New_York", "Europe/London"), (month, year, zone) => {
        const date = localDateOf(cardExpiryNoticeAt(month, year, zone), zone);
        expect([date.year, date.month, date.day]).toEqual([year, month, 1]);
        expect(localDateOf(new Date(cardExpiryNoticeAt(month, year, zone).getTime() - 1), zone).month).toBe(month === 1 ? 12 : month - 1);
      }),
    );
  });

  it.each([
    [0, 2027],
    [13, 2027],
  ])("rejects month %i", (month, year) => {
    expect(() => cardExpiryNoticeAt(month, year, "Asia/Tokyo")).toThrow(RangeError);
  });
});

describe("expiryMonthKey", () => {
  it.each<[number, number, string]>([
    [3, 2027, "2027-03"],
    [12, 2027, "2027-12"],
    [1, 2030, "2030-01"],
  ])("%i/%i → %s", (month, year, key) => {
    expect(expiryMonthKey(month, year)).toBe(key);
  });

  it("is one key per card month (distinct months give distinct keys)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2000, max: 2099 }), (m1, y1, m2, y2) => {
        expect(expiryMonthKey(m1, y1) === expiryMonthKey(m2, y2)).toBe(m1 === m2 && y1 === y2);
      }),
    );
  });
});

describe("isCardExpired", () => {
  it.each<[number, number, { year: number; month: number }, boolean]>([
    [3, 2027, { year: 2027, month: 3 }, false], // usable through the end of its month
    [3, 2027, { year: 2027, month: 2 }, false],
    [3, 2027, { year: 2027, month: 4 }, true],
    [12, 2026, { year: 2027, month: 1 }, true],
    [1, 2028, { year: 2027, month: 12 }, false],
    [12, 2027, { year: 2027, month: 12 }, false],
  ])("%i/%i on %j → expired %s", (month, year, today, expired) => {
    expect(isCardExpired(month, year, today)).toBe(expired);
  });

  it("a card is expired exactly when its month is before the current month", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2000, max: 2099 }), (month, year, nowMonth, nowYear) => {
        expect(isCardExpired(month, year, { year: nowYear, month: nowMonth })).toBe(year * 12 + month < nowYear * 12 + nowMonth);
      }),
    );
  });
});
