import { describe, expect, it } from "vitest";
import { DEFAULT_BILLING_SETTINGS } from "./billing-settings";
import { collectionTimeline } from "./collection-timeline";

describe("collectionTimeline", () => {
  it("draws the defaults: retries on days 7 and 14, notices on 1 (sent after the last retry), 60 and 67, withdrawal 1 h later", () => {
    expect(collectionTimeline(DEFAULT_BILLING_SETTINGS)).toEqual([
      { kind: "paid_through", day: 0 },
      { kind: "retry", number: 1, day: 7 },
      { kind: "retry", number: 2, day: 14 },
      { kind: "notice", template: "unpaid_notice", setDay: 1, day: 14 },
      { kind: "notice", template: "final_notice", setDay: 60, day: 60 },
      { kind: "notice", template: "withdrawal_notice", setDay: 67, day: 67 },
      { kind: "withdrawal", hoursAfter: 1, day: 67 + 1 / 24 },
    ]);
  });

  it("orders notices entered out of order, and leaves withdrawal out when it is off", () => {
    const steps = collectionTimeline({
      retryScheduleDays: [5, 10],
      dunning: {
        notices: [
          { template: "final_notice", daysAfterPaidThrough: 30 },
          { template: "unpaid_notice", daysAfterPaidThrough: 12 },
        ],
        withdraw: { enabled: false, hoursAfterLastNotice: 24 },
      },
    });
    expect(steps.map((s) => [s.kind, s.day])).toEqual([
      ["paid_through", 0],
      ["retry", 5],
      ["retry", 10],
      ["notice", 12],
      ["notice", 30],
    ]);
  });

  it("draws the fallback invoice on its day, or after the last retry when set earlier, and none when off or absent", () => {
    const withFallback = (daysAfterPaidThrough: number, enabled = true) => ({ ...DEFAULT_BILLING_SETTINGS, dunning: { ...DEFAULT_BILLING_SETTINGS.dunning, fallbackInvoice: { enabled, daysAfterPaidThrough } } });
    expect(collectionTimeline(withFallback(30)).map((s) => [s.kind, s.day])).toEqual([
      ["paid_through", 0],
      ["retry", 7],
      ["retry", 14],
      ["notice", 14],
      ["fallback_invoice", 30],
      ["notice", 60],
      ["notice", 67],
      ["withdrawal", 67 + 1 / 24],
    ]);
    // Set for day 3, before the last retry: it waits for it, after the notice that waits too.
    expect(collectionTimeline(withFallback(3)).filter((s) => s.day === 14)).toEqual([
      { kind: "retry", number: 2, day: 14 },
      { kind: "notice", template: "unpaid_notice", setDay: 1, day: 14 },
      { kind: "fallback_invoice", setDay: 3, day: 14 },
    ]);
    expect(collectionTimeline(withFallback(30, false)).some((s) => s.kind === "fallback_invoice")).toBe(false);
    expect(collectionTimeline(DEFAULT_BILLING_SETTINGS).some((s) => s.kind === "fallback_invoice")).toBe(false);
  });

  it("with neither retries nor notices, withdrawal counts from day 0", () => {
    expect(collectionTimeline({ retryScheduleDays: [], dunning: { notices: [], withdraw: { enabled: true, hoursAfterLastNotice: 48 } } })).toEqual([
      { kind: "paid_through", day: 0 },
      { kind: "withdrawal", hoursAfter: 48, day: 2 },
    ]);
  });
});
