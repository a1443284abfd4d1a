import { describe, expect, it } from "vitest";
import { BILLING_INTERVALS, type BillingInterval, FIRST_PERIOD_RULES, INTERVAL_LABELS_JA, isWeekInterval, TAX_BEHAVIORS, TAX_RATES } from "./plan";

describe("plan vocabulary", () => {
  it("has the six cycles: weekly, every 2 weeks, monthly, every 3 months, every 6 months, yearly", () => {
    expect(BILLING_INTERVALS).toEqual(["week", "2week", "month", "3month", "6month", "year"]);
  });

  it.each<[BillingInterval, boolean, string]>([
    ["week", true, "毎週"],
    ["2week", true, "隔週"],
    ["month", false, "毎月"],
    ["3month", false, "3か月ごと"],
    ["6month", false, "6か月ごと"],
    ["year", false, "毎年"],
  ])("%s: week-based %s, label %s", (interval, week, label) => {
    expect(isWeekInterval(interval)).toBe(week);
    expect(INTERVAL_LABELS_JA[interval]).toBe(label);
  });

  it("has the first-period rules, tax behaviours and rates of the spec", () => {
    expect(FIRST_PERIOD_RULES).toEqual(["prorate", "full", "free"]);
    expect(TAX_BEHAVIORS).toEqual(["inclusive", "exclusive"]);
    expect(TAX_RATES).toEqual([10, 8]);
  });
});
