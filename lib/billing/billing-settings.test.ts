import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  billingSettingsSchema,
  DEFAULT_BILLING_SETTINGS,
  DEFAULT_DUNNING_TIMELINE,
  DEFAULT_RETRY_SCHEDULE,
  dunningNoticeSchema,
  dunningTimelineSchema,
  RETRY_PRESETS,
  retryScheduleSchema,
} from "./billing-settings";
import { DUNNING_TEMPLATES, MAIL_TEMPLATES } from "./mail-template";

describe("defaults and presets", () => {
  it("retries 7 days and 7 more days after the first failure by default (seed 000)", () => {
    expect(DEFAULT_RETRY_SCHEDULE).toEqual([7, 14]);
    expect(RETRY_PRESETS.default).toEqual([7, 14]);
  });

  it("has the weekly × 3 preset (seed 004) and the 5 d / 10 d preset (PayPal, seed 002)", () => {
    expect(RETRY_PRESETS.weeklyTimes3).toEqual([7, 14, 21]);
    expect(RETRY_PRESETS.paypal).toEqual([5, 10]);
  });

  it.each(Object.entries(RETRY_PRESETS))("preset %s is a valid schedule", (_, days) => {
    expect(retryScheduleSchema.safeParse(days).success).toBe(true);
  });

  it("dunning: unpaid notice +1 d, final notice +60 d, withdrawal notice +67 d, withdrawn 1 h later (seed 002)", () => {
    expect(DEFAULT_DUNNING_TIMELINE).toEqual({
      notices: [
        { template: "unpaid_notice", daysAfterPaidThrough: 1 },
        { template: "final_notice", daysAfterPaidThrough: 60 },
        { template: "withdrawal_notice", daysAfterPaidThrough: 67 },
      ],
      withdraw: { enabled: true, hoursAfterLastNotice: 1 },
    });
    expect(dunningTimelineSchema.safeParse(DEFAULT_DUNNING_TIMELINE).success).toBe(true);
  });

  it("the default settings are valid, with a 365-day card-on-file window", () => {
    expect(billingSettingsSchema.parse(DEFAULT_BILLING_SETTINGS)).toEqual(DEFAULT_BILLING_SETTINGS);
    expect(DEFAULT_BILLING_SETTINGS.cardOnFileWindowDays).toBe(365);
  });
});

describe("retryScheduleSchema", () => {
  it.each<[string, unknown]>([
    ["no retries", []],
    ["one retry", [3]],
    ["the default", [7, 14]],
    ["ten retries", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
    ["the longest gap", [1, 365]],
  ])("accepts %s", (_, days) => {
    expect(retryScheduleSchema.safeParse(days).success).toBe(true);
  });

  it.each<[string, unknown]>([
    ["a negative day", [-1]],
    ["a negative day after valid ones", [7, -14]],
    ["day 0 (that is the first failure itself)", [0, 7]],
    ["equal days", [7, 7]],
    ["decreasing days", [14, 7]],
    ["non-increasing later on", [3, 7, 5]],
    ["more than 10 retries", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]],
    ["a fraction of a day", [1.5]],
    ["more than a year", [366]],
    ["a string", ["7"]],
    ["not an array", 7],
    ["null", null],
  ])("rejects %s", (_, days) => {
    expect(retryScheduleSchema.safeParse(days).success).toBe(false);
  });

  it("gives a readable message for non-increasing days and too many retries", () => {
    expect(retryScheduleSchema.safeParse([14, 7]).error?.issues[0]?.message).toMatch(/increase/);
    expect(retryScheduleSchema.safeParse(Array.from({ length: 11 }, (_, i) => i + 1)).error?.issues[0]?.message).toBe("at most 10 retries");
  });

  it("accepts exactly the strictly increasing lists of at most 10 days in 1–365", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 370 }), { maxLength: 12 }), (days) => {
        const valid = days.length <= 10 && days.every((day, i) => day >= 1 && day <= 365 && (i === 0 || day > days[i - 1]!));
        expect(retryScheduleSchema.safeParse(days).success).toBe(valid);
      }),
    );
  });

  it("accepts any sorted set of distinct days", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 365 }), { maxLength: 10 }), (days) => {
        expect(retryScheduleSchema.safeParse([...days].sort((a, b) => a - b)).success).toBe(true);
      }),
    );
  });
});

describe("dunningNoticeSchema and dunningTimelineSchema", () => {
  it.each(DUNNING_TEMPLATES)("accepts the %s template", (template) => {
    expect(dunningNoticeSchema.safeParse({ template, daysAfterPaidThrough: 10 }).success).toBe(true);
  });

  it.each(MAIL_TEMPLATES.filter((t) => !(DUNNING_TEMPLATES as readonly string[]).includes(t)).concat(["nope" as never, "" as never]))(
    "rejects the %j template (not a dunning notice)",
    (template) => {
      expect(dunningNoticeSchema.safeParse({ template, daysAfterPaidThrough: 10 }).success).toBe(false);
    },
  );

  it.each<[string, unknown]>([
    ["negative days", { template: "unpaid_notice", daysAfterPaidThrough: -1 }],
    ["fractional days", { template: "unpaid_notice", daysAfterPaidThrough: 1.5 }],
    ["more than 10 years", { template: "unpaid_notice", daysAfterPaidThrough: 3651 }],
    ["missing days", { template: "unpaid_notice" }],
    ["missing template", { daysAfterPaidThrough: 1 }],
  ])("rejects a notice with %s", (_, notice) => {
    expect(dunningNoticeSchema.safeParse(notice).success).toBe(false);
  });

  it("accepts day 0 (the paid-through date itself)", () => {
    expect(dunningNoticeSchema.safeParse({ template: "unpaid_notice", daysAfterPaidThrough: 0 }).success).toBe(true);
  });

  it.each<[string, unknown, boolean]>([
    ["never withdraw (seed 004)", { notices: DEFAULT_DUNNING_TIMELINE.notices, withdraw: { enabled: false, hoursAfterLastNotice: 1 } }, true],
    ["no notices", { notices: [], withdraw: { enabled: true, hoursAfterLastNotice: 0 } }, true],
    ["ten notices", { notices: Array.from({ length: 10 }, (_, i) => ({ template: "final_notice", daysAfterPaidThrough: i })), withdraw: { enabled: true, hoursAfterLastNotice: 1 } }, true],
    ["eleven notices", { notices: Array.from({ length: 11 }, (_, i) => ({ template: "final_notice", daysAfterPaidThrough: i })), withdraw: { enabled: true, hoursAfterLastNotice: 1 } }, false],
    ["negative withdrawal delay", { notices: [], withdraw: { enabled: true, hoursAfterLastNotice: -1 } }, false],
    ["withdrawal delay over a year", { notices: [], withdraw: { enabled: true, hoursAfterLastNotice: 24 * 365 + 1 } }, false],
    ["an unknown template among the notices", { notices: [{ template: "welcome", daysAfterPaidThrough: 1 }], withdraw: { enabled: true, hoursAfterLastNotice: 1 } }, false],
    ["a non-boolean switch", { notices: [], withdraw: { enabled: "yes", hoursAfterLastNotice: 1 } }, false],
    ["no withdraw block", { notices: [] }, false],
  ])("timeline with %s → valid: %s", (_, timeline, valid) => {
    expect(dunningTimelineSchema.safeParse(timeline).success).toBe(valid);
  });
});

describe("billingSettingsSchema", () => {
  it.each<[string, Record<string, unknown>]>([
    ["a zero card-on-file window", { cardOnFileWindowDays: 0 }],
    ["a negative card-on-file window", { cardOnFileWindowDays: -30 }],
    ["a card-on-file window over 10 years", { cardOnFileWindowDays: 3651 }],
    ["a bad retry schedule", { retryScheduleDays: [14, 7] }],
    ["a negative retry day", { retryScheduleDays: [-7] }],
    ["too many retries", { retryScheduleDays: Array.from({ length: 11 }, (_, i) => i + 1) }],
    ["an unknown dunning template", { dunning: { ...DEFAULT_DUNNING_TIMELINE, notices: [{ template: "reminder", daysAfterPaidThrough: 3 }] } }],
    ["negative dunning days", { dunning: { ...DEFAULT_DUNNING_TIMELINE, notices: [{ template: "unpaid_notice", daysAfterPaidThrough: -1 }] } }],
  ])("rejects %s", (_, override) => {
    expect(billingSettingsSchema.safeParse({ ...DEFAULT_BILLING_SETTINGS, ...override }).success).toBe(false);
  });

  it("names the offending field", () => {
    const result = billingSettingsSchema.safeParse({ ...DEFAULT_BILLING_SETTINGS, dunning: { ...DEFAULT_DUNNING_TIMELINE, notices: [{ template: "reminder", daysAfterPaidThrough: 3 }] } });
    expect(result.error?.issues[0]?.path).toEqual(["dunning", "notices", 0, "template"]);
  });

  it("accepts the presets with never-withdraw and a custom window", () => {
    expect(
      billingSettingsSchema.safeParse({ retryScheduleDays: RETRY_PRESETS.weeklyTimes3, dunning: { ...DEFAULT_DUNNING_TIMELINE, withdraw: { enabled: false, hoursAfterLastNotice: 0 } }, cardOnFileWindowDays: 90 })
        .success,
    ).toBe(true);
  });
});
