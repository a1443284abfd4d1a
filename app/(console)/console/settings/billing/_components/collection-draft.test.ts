import { describe, expect, it } from "vitest";
import { DEFAULT_BILLING_SETTINGS } from "@/lib/billing/billing-settings";
import { type CollectionDraft, draftOf, parseDraft, sameCollection } from "./collection-draft";

const saved = { retryScheduleDays: DEFAULT_BILLING_SETTINGS.retryScheduleDays, dunning: DEFAULT_BILLING_SETTINGS.dunning };
const custom = (days: string[], base: CollectionDraft = draftOf(saved)): CollectionDraft => ({ ...base, mode: "custom", customDays: days.map((d, i) => ({ key: `r${i}`, days: d })) });

describe("the retry and dunning form's draft", () => {
  it("starts from the saved settings, recognising a preset, and reads back the same", () => {
    const draft = draftOf(saved);
    expect(draft.mode).toBe("default");
    const parsed = parseDraft(draft);
    expect(parsed.problems).toBeNull();
    expect(sameCollection(parsed.value!, saved)).toBe(true);
    expect(draftOf({ ...saved, retryScheduleDays: [3, 9] }).mode).toBe("custom");
  });

  it("reads full-width digits, and puts notices in order of days", () => {
    const draft = { ...custom(["３", "１０"]), notices: [{ key: "a", template: "final_notice" as const, days: "３０" }, { key: "b", template: "unpaid_notice" as const, days: "2" }] };
    expect(parseDraft(draft).value).toEqual({
      retryScheduleDays: [3, 10],
      dunning: {
        notices: [
          { template: "unpaid_notice", daysAfterPaidThrough: 2 },
          { template: "final_notice", daysAfterPaidThrough: 30 },
        ],
        withdraw: { enabled: true, hoursAfterLastNotice: 1 },
        fallbackInvoice: { enabled: false, daysAfterPaidThrough: 14 },
      },
    });
  });

  it("the fallback invoice: off for settings saved before it existed; its day checked only while on, and named", () => {
    const draft = draftOf(saved);
    expect([draft.fallbackEnabled, draft.fallbackDays]).toEqual([false, "14"]);
    expect(parseDraft({ ...draft, fallbackEnabled: true, fallbackDays: "２１" }).value?.dunning.fallbackInvoice).toEqual({ enabled: true, daysAfterPaidThrough: 21 });
    expect(parseDraft({ ...draft, fallbackEnabled: true, fallbackDays: "" }).problems).toEqual({ fallbackDays: "fallbackDay" });
    expect(parseDraft({ ...draft, fallbackEnabled: true, fallbackDays: "3651" }).problems).toEqual({ fallbackDays: "fallbackDay" });
    expect(parseDraft({ ...draft, fallbackEnabled: false, fallbackDays: "x" }).value?.dunning.fallbackInvoice).toEqual({ enabled: false, daysAfterPaidThrough: 14 });
    // Turning it on is a change; the stored settings without it and the draft left off are the same.
    expect(sameCollection(parseDraft(draft).value!, saved)).toBe(true);
    expect(sameCollection(parseDraft({ ...draft, fallbackEnabled: true }).value!, saved)).toBe(false);
  });

  it("names each bad field: a day out of range or not a number, a day not after the one before, too many retries", () => {
    expect(parseDraft(custom(["7", "0", "x"])).problems).toEqual({ "retry.1": "retryDay", "retry.2": "retryDay" });
    expect(parseDraft(custom(["7", "14", "10"])).problems).toEqual({ "retry.2": "retryIncreasing" });
    expect(parseDraft(custom(Array.from({ length: 11 }, (_, i) => String(i + 1)))).problems).toEqual({ retries: "retryTooMany" });
    const notices = { ...draftOf(saved), withdrawHours: "-1" };
    notices.notices = [...notices.notices.slice(0, 1), { ...notices.notices[1]!, days: "" }, ...notices.notices.slice(2)];
    expect(parseDraft(notices).problems).toEqual({ "notice.1": "noticeDay", withdrawHours: "withdrawHours" });
  });

  it("does not let hours hidden behind a switched-off withdrawal block saving", () => {
    const parsed = parseDraft({ ...draftOf(saved), withdrawEnabled: false, withdrawHours: "" });
    expect(parsed.value?.dunning.withdraw).toEqual({ enabled: false, hoursAfterLastNotice: 0 });
  });
});
