import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_SCHEDULE, RETRY_PRESETS, type RetrySchedule } from "./billing-settings";
import { localDateOf } from "./calendar";
import { effectiveRetrySchedule, retryTimes } from "./retry-schedule";

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

describe("retryTimes", () => {
  // A renewal due 2027-03-25 00:00 JST fails at that instant.
  const firstFailure = new Date("2027-03-24T15:00:00.000Z");

  it.each<[string, RetrySchedule, string[]]>([
    ["the default: +7 d and +14 d", DEFAULT_RETRY_SCHEDULE, ["2027-03-31T15:00:00.000Z", "2027-04-07T15:00:00.000Z"]],
    ["weekly × 3", RETRY_PRESETS.weeklyTimes3, ["2027-03-31T15:00:00.000Z", "2027-04-07T15:00:00.000Z", "2027-04-14T15:00:00.000Z"]],
    ["5 d and 10 d (PayPal)", RETRY_PRESETS.paypal, ["2027-03-29T15:00:00.000Z", "2027-04-03T15:00:00.000Z"]],
    ["no retries", [], []],
  ])("%s", (_, schedule, expected) => {
    expect(iso(retryTimes(firstFailure, schedule, "Asia/Tokyo"))).toEqual(expected);
  });

  it("counts every retry from the first failure, not from the previous retry", () => {
    expect(iso(retryTimes(new Date("2027-01-10T01:23:45.000Z"), [1, 2, 30], "Asia/Tokyo"))).toEqual([
      "2027-01-11T01:23:45.000Z",
      "2027-01-12T01:23:45.000Z",
      "2027-02-09T01:23:45.000Z",
    ]);
  });

  it("keeps the merchant's wall-clock time across a DST change", () => {
    // 10:00 EST on 2027-03-10; New York springs forward on 03-14, so +7 d is 10:00 EDT = 14:00 UTC.
    expect(iso(retryTimes(new Date("2027-03-10T15:00:00.000Z"), [7, 14], "America/New_York"))).toEqual(["2027-03-17T14:00:00.000Z", "2027-03-24T14:00:00.000Z"]);
  });

  it("gives one strictly increasing time per retry day, each N local days after the failure", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2050, 0, 1) }).map((ms) => new Date(ms)),
        fc.uniqueArray(fc.integer({ min: 1, max: 365 }), { maxLength: 10 }).map((days) => [...days].sort((a, b) => a - b)),
        fc.constantFrom("Asia/Tokyo", "America/New_York", "UTC"),
        (failedAt, schedule, zone) => {
          const times = retryTimes(failedAt, schedule, zone);
          expect(times).toHaveLength(schedule.length);
          times.forEach((time, i) => {
            expect(time.getTime()).toBeGreaterThan(i === 0 ? failedAt.getTime() : times[i - 1]!.getTime());
            expect(localDateOf(time, zone).equals(localDateOf(failedAt, zone).add({ days: schedule[i]! }))).toBe(true);
          });
        },
      ),
    );
  });
});

describe("effectiveRetrySchedule", () => {
  it("uses the plan's override when it has one", () => {
    expect(effectiveRetrySchedule(RETRY_PRESETS.paypal, DEFAULT_RETRY_SCHEDULE)).toEqual([5, 10]);
    expect(effectiveRetrySchedule([], DEFAULT_RETRY_SCHEDULE)).toEqual([]);
  });

  it("falls back to the merchant's schedule", () => {
    expect(effectiveRetrySchedule(null, RETRY_PRESETS.weeklyTimes3)).toEqual([7, 14, 21]);
    expect(effectiveRetrySchedule(null, DEFAULT_RETRY_SCHEDULE)).toEqual([7, 14]);
  });
});
