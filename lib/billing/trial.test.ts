import fc from "fast-check";
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { compareDates, daysBetween } from "./calendar";
import type { PlanTerms } from "./plan";
import { trialEndDate, trialReminderDate } from "./trial";

const d = (text: string) => Temporal.PlainDate.from(text);
type TrialPlan = Pick<PlanTerms, "trialDays" | "trialUntil">;

describe("trialEndDate", () => {
  it.each<[string, TrialPlan, string, string | null]>([
    ["no trial", { trialDays: null, trialUntil: null }, "2027-01-10", null],
    ["0 days is no trial", { trialDays: 0, trialUntil: null }, "2027-01-10", null],
    ["14 days", { trialDays: 14, trialUntil: null }, "2027-01-10", "2027-01-24"],
    ["14 days across a month end", { trialDays: 14, trialUntil: null }, "2027-01-25", "2027-02-08"],
    ["14 days across Feb 29", { trialDays: 14, trialUntil: null }, "2028-02-20", "2028-03-05"],
    ["14 days across Feb 28 (no leap day)", { trialDays: 14, trialUntil: null }, "2027-02-20", "2027-03-06"],
    ["30 days across the year end", { trialDays: 30, trialUntil: null }, "2026-12-15", "2027-01-14"],
    ["1 day", { trialDays: 1, trialUntil: null }, "2027-01-31", "2027-02-01"],
    ["until a future date", { trialDays: null, trialUntil: "2027-04-01" }, "2027-01-10", "2027-04-01"],
    ["until tomorrow", { trialDays: null, trialUntil: "2027-01-11" }, "2027-01-10", "2027-01-11"],
    ["until today is no trial", { trialDays: null, trialUntil: "2027-01-10" }, "2027-01-10", null],
    ["until a past date is no trial", { trialDays: null, trialUntil: "2026-12-31" }, "2027-01-10", null],
    ["until Feb 29 of a leap year", { trialDays: null, trialUntil: "2028-02-29" }, "2028-01-10", "2028-02-29"],
    ["0 days falls back to the fixed date", { trialDays: 0, trialUntil: "2027-04-01" }, "2027-01-10", "2027-04-01"],
    ["N days wins over a fixed date", { trialDays: 7, trialUntil: "2027-04-01" }, "2027-01-10", "2027-01-17"],
  ])("%s", (_, plan, signup, expected) => {
    expect(trialEndDate(plan, d(signup))?.toString() ?? null).toBe(expected);
  });

  it("rejects a malformed fixed date", () => {
    expect(() => trialEndDate({ trialDays: null, trialUntil: "2027-02-30" }, d("2027-01-10"))).toThrow(RangeError);
  });

  const signupArb = fc.integer({ min: 0, max: 365 * 40 }).map((days) => d("2020-01-01").add({ days }));

  it("N days ends exactly N days after sign-up", () => {
    fc.assert(
      fc.property(signupArb, fc.integer({ min: 1, max: 730 }), (signup, trialDays) => {
        const end = trialEndDate({ trialDays, trialUntil: null }, signup);
        expect(end).not.toBeNull();
        expect(daysBetween(signup, end!)).toBe(trialDays);
      }),
    );
  });

  it("a fixed date is the end when it is after sign-up, otherwise there is no trial", () => {
    fc.assert(
      fc.property(signupArb, fc.integer({ min: -400, max: 400 }), (signup, offset) => {
        const until = signup.add({ days: offset });
        const end = trialEndDate({ trialDays: null, trialUntil: until.toString() }, signup);
        if (offset > 0) expect(end?.toString()).toBe(until.toString());
        else expect(end).toBeNull();
      }),
    );
  });
});

describe("trialReminderDate", () => {
  it.each<[string, number | null, string, string, string | null]>([
    ["3 days before the end", 3, "2027-01-10", "2027-01-24", "2027-01-21"],
    ["across a month start", 3, "2027-01-20", "2027-02-02", "2027-01-30"],
    ["across Feb 29", 1, "2028-02-01", "2028-03-01", "2028-02-29"],
    ["the day after sign-up", 13, "2027-01-10", "2027-01-24", "2027-01-11"],
    ["on the sign-up day is too late", 14, "2027-01-10", "2027-01-24", null],
    ["before sign-up is too late", 20, "2027-01-10", "2027-01-24", null],
    ["no reminder", null, "2027-01-10", "2027-01-24", null],
    ["0 days is no reminder", 0, "2027-01-10", "2027-01-24", null],
  ])("%s", (_, trialReminderDays, signup, trialEnd, expected) => {
    expect(trialReminderDate({ trialReminderDays }, d(signup), d(trialEnd))?.toString() ?? null).toBe(expected);
  });

  it("falls strictly between sign-up and the trial end, N days before the end", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 365 * 40 }).map((days) => d("2020-01-01").add({ days })),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 400 }),
        (signup, trialDays, reminderDays) => {
          const trialEnd = trialEndDate({ trialDays, trialUntil: null }, signup)!;
          const reminder = trialReminderDate({ trialReminderDays: reminderDays }, signup, trialEnd);
          if (reminderDays < trialDays) {
            expect(reminder).not.toBeNull();
            expect(daysBetween(reminder!, trialEnd)).toBe(reminderDays);
            expect(compareDates(reminder!, signup)).toBe(1);
            expect(compareDates(reminder!, trialEnd)).toBe(-1);
          } else {
            expect(reminder).toBeNull();
          }
        },
      ),
    );
  });
});
