import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ACTION_KINDS, ACTION_LABELS_JA, actionKeys } from "./scheduled-action";

const at = new Date("2027-03-24T15:00:00.000Z");

describe("actionKeys", () => {
  it.each<[string, string, string]>([
    ["renewal", actionKeys.renewal("sub_1", at), "renewal:sub_1:2027-03-24T15:00:00.000Z"],
    ["trialEnd", actionKeys.trialEnd("sub_1", at), "trial_end:sub_1:2027-03-24T15:00:00.000Z"],
    ["trialReminder", actionKeys.trialReminder("sub_1", at), "trial_reminder:sub_1:2027-03-24T15:00:00.000Z"],
    ["retry", actionKeys.retry("in_1", 2), "retry:in_1:2"],
    ["manualRetry", actionKeys.manualRetry("in_1", at), "manual_retry:in_1:2027-03-24T15:00:00.000Z"],
    ["dunningNotice", actionKeys.dunningNotice("in_1", "final_notice"), "dunning:in_1:final_notice"],
    ["withdrawal", actionKeys.withdrawal("in_1"), "withdrawal:in_1"],
    ["periodEndCancel", actionKeys.periodEndCancel("sub_1", at), "period_end_cancel:sub_1:2027-03-24T15:00:00.000Z"],
    ["cardExpiry", actionKeys.cardExpiry("pm_1", "2027-03"), "card_expiry:pm_1:2027-03"],
  ])("%s → %s", (_, key, expected) => {
    expect(key).toBe(expected);
  });

  it("gives the same key for the same effect and different keys for different ones", () => {
    const id = fc.stringMatching(/^[a-z]{2,4}_[A-Za-z0-9]{1,12}$/);
    const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2050, 0, 1) }).map((ms) => new Date(ms));
    fc.assert(
      fc.property(id, id, instant, instant, (a, b, t1, t2) => {
        expect(actionKeys.renewal(a, t1)).toBe(actionKeys.renewal(a, new Date(t1.getTime())));
        expect(actionKeys.renewal(a, t1) === actionKeys.renewal(b, t2)).toBe(a === b && t1.getTime() === t2.getTime());
        expect(actionKeys.renewal(a, t1)).not.toBe(actionKeys.periodEndCancel(a, t1));
        expect(actionKeys.trialEnd(a, t1)).not.toBe(actionKeys.trialReminder(a, t1));
        expect(actionKeys.manualRetry(a, t1) === actionKeys.manualRetry(b, t2)).toBe(a === b && t1.getTime() === t2.getTime());
      }),
    );
  });

  it("retries of one invoice have one key per retry number", () => {
    const keys = [1, 2, 3].map((n) => actionKeys.retry("in_1", n));
    expect(new Set(keys).size).toBe(3);
  });
});

describe("ACTION_LABELS_JA", () => {
  it("labels every action kind", () => {
    expect(Object.keys(ACTION_LABELS_JA).sort()).toEqual([...ACTION_KINDS].sort());
    for (const kind of ACTION_KINDS) expect(ACTION_LABELS_JA[kind]).toMatch(/\S/);
  });
});
