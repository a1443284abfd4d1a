import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_DUNNING_TIMELINE, type DunningTimelineSettings } from "./billing-settings";
import { addLocalDays } from "./calendar";
import { type DunningStep, dunningSteps } from "./dunning-timeline";
import { DUNNING_TEMPLATES } from "./mail-template";

/** Steps as [what, ISO time] pairs. */
const plain = (steps: DunningStep[]) => steps.map((s) => [s.kind === "withdrawal" ? "withdrawal" : s.template, s.dueAt.toISOString()]);

// Paid through 2027-03-25 00:00 JST.
const paidThrough = new Date("2027-03-24T15:00:00.000Z");
const TOKYO = "Asia/Tokyo";

describe("dunningSteps", () => {
  it("default timeline: unpaid notice +1 d, final notice +60 d, withdrawal notice +67 d, withdrawn 1 h after it", () => {
    expect(plain(dunningSteps(paidThrough, paidThrough, DEFAULT_DUNNING_TIMELINE, TOKYO))).toEqual([
      ["unpaid_notice", "2027-03-25T15:00:00.000Z"], // 2027-03-26 00:00 JST
      ["final_notice", "2027-05-23T15:00:00.000Z"], // 2027-05-24 00:00 JST
      ["withdrawal_notice", "2027-05-30T15:00:00.000Z"], // 2027-05-31 00:00 JST
      ["withdrawal", "2027-05-30T16:00:00.000Z"], // 2027-05-31 01:00 JST
    ]);
  });

  it("catch-up: a notice whose time passed before the contract became unpaid is due when it became unpaid (seed 000)", () => {
    // Retries at +7 d and +14 d: the contract becomes unpaid on 2027-04-08 00:00:05 JST, after the +1 d notice.
    const unpaidAt = new Date("2027-04-07T15:00:05.000Z");
    expect(plain(dunningSteps(paidThrough, unpaidAt, DEFAULT_DUNNING_TIMELINE, TOKYO))).toEqual([
      ["unpaid_notice", "2027-04-07T15:00:05.000Z"],
      ["final_notice", "2027-05-23T15:00:00.000Z"],
      ["withdrawal_notice", "2027-05-30T15:00:00.000Z"],
      ["withdrawal", "2027-05-30T16:00:00.000Z"],
    ]);
  });

  it("a notice due exactly when the contract becomes unpaid keeps its time", () => {
    const unpaidAt = new Date("2027-03-25T15:00:00.000Z");
    expect(dunningSteps(paidThrough, unpaidAt, DEFAULT_DUNNING_TIMELINE, TOKYO)[0]?.dueAt.toISOString()).toBe("2027-03-25T15:00:00.000Z");
  });

  it("when every notice has passed, all are due at once and withdrawal follows 1 h later", () => {
    const unpaidAt = new Date("2027-07-01T03:00:00.000Z");
    expect(plain(dunningSteps(paidThrough, unpaidAt, DEFAULT_DUNNING_TIMELINE, TOKYO))).toEqual([
      ["unpaid_notice", "2027-07-01T03:00:00.000Z"],
      ["final_notice", "2027-07-01T03:00:00.000Z"],
      ["withdrawal_notice", "2027-07-01T03:00:00.000Z"],
      ["withdrawal", "2027-07-01T04:00:00.000Z"],
    ]);
  });

  it("never withdraw: the notices only, no withdrawal step (seed 004)", () => {
    const timeline: DunningTimelineSettings = { ...DEFAULT_DUNNING_TIMELINE, withdraw: { enabled: false, hoursAfterLastNotice: 1 } };
    const steps = dunningSteps(paidThrough, paidThrough, timeline, TOKYO);
    expect(steps.map((s) => s.kind)).toEqual(["dunning_notice", "dunning_notice", "dunning_notice"]);
    expect(steps.some((s) => s.kind === "withdrawal")).toBe(false);
  });

  it("orders notices by their day, whatever the order they were saved in", () => {
    const timeline: DunningTimelineSettings = { ...DEFAULT_DUNNING_TIMELINE, notices: [...DEFAULT_DUNNING_TIMELINE.notices].reverse() };
    expect(plain(dunningSteps(paidThrough, paidThrough, timeline, TOKYO))).toEqual(plain(dunningSteps(paidThrough, paidThrough, DEFAULT_DUNNING_TIMELINE, TOKYO)));
  });

  it.each<[string, DunningTimelineSettings, [string, string][]]>([
    ["no notices: withdrawn N hours after becoming unpaid", { notices: [], withdraw: { enabled: true, hoursAfterLastNotice: 24 } }, [["withdrawal", "2027-03-25T15:00:00.000Z"]]],
    ["no notices, never withdraw: nothing", { notices: [], withdraw: { enabled: false, hoursAfterLastNotice: 1 } }, []],
    [
      "withdrawal together with the last notice (0 h)",
      { notices: [{ template: "final_notice", daysAfterPaidThrough: 30 }], withdraw: { enabled: true, hoursAfterLastNotice: 0 } },
      [
        ["final_notice", "2027-04-23T15:00:00.000Z"],
        ["withdrawal", "2027-04-23T15:00:00.000Z"],
      ],
    ],
    ["a notice on the paid-through date itself (+0 d)", { notices: [{ template: "unpaid_notice", daysAfterPaidThrough: 0 }], withdraw: { enabled: false, hoursAfterLastNotice: 0 } }, [["unpaid_notice", "2027-03-24T15:00:00.000Z"]]],
  ])("%s", (_, timeline, expected) => {
    expect(plain(dunningSteps(paidThrough, paidThrough, timeline, TOKYO))).toEqual(expected);
  });

  it("counts days in the merchant's zone: local midnight stays local midnight across DST", () => {
    // Paid through 2027-03-01 00:00 EST (05:00 UTC); New York is on EDT (UTC−4) after 03-14.
    const nyPaidThrough = new Date("2027-03-01T05:00:00.000Z");
    expect(plain(dunningSteps(nyPaidThrough, nyPaidThrough, DEFAULT_DUNNING_TIMELINE, "America/New_York"))).toEqual([
      ["unpaid_notice", "2027-03-02T05:00:00.000Z"],
      ["final_notice", "2027-04-30T04:00:00.000Z"],
      ["withdrawal_notice", "2027-05-07T04:00:00.000Z"],
      ["withdrawal", "2027-05-07T05:00:00.000Z"],
    ]);
  });

  const timelineArb = fc.record({
    notices: fc.array(fc.record({ template: fc.constantFrom(...DUNNING_TEMPLATES), daysAfterPaidThrough: fc.integer({ min: 0, max: 400 }) }), { maxLength: 10 }),
    withdraw: fc.record({ enabled: fc.boolean(), hoursAfterLastNotice: fc.integer({ min: 0, max: 24 * 365 }) }),
  });

  it("every step is due no earlier than unpaidAt, in order, each notice at max(its time, unpaidAt), withdrawal last", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2050, 0, 1) }),
        fc.integer({ min: 0, max: 500 * 24 * 3600 * 1000 }),
        timelineArb,
        fc.constantFrom(TOKYO, "America/New_York"),
        (paidThroughMs, unpaidDelay, timeline, zone) => {
          const from = new Date(paidThroughMs);
          const unpaidAt = new Date(paidThroughMs + unpaidDelay);
          const steps = dunningSteps(from, unpaidAt, timeline, zone);
          expect(steps).toHaveLength(timeline.notices.length + (timeline.withdraw.enabled ? 1 : 0));
          steps.forEach((step, i) => {
            expect(step.dueAt.getTime()).toBeGreaterThanOrEqual(unpaidAt.getTime());
            if (i > 0) expect(step.dueAt.getTime()).toBeGreaterThanOrEqual(steps[i - 1]!.dueAt.getTime());
          });
          const notices = steps.filter((s) => s.kind === "dunning_notice");
          const sortedDays = timeline.notices.map((n) => n.daysAfterPaidThrough).sort((a, b) => a - b);
          notices.forEach((notice, i) => {
            expect(notice.dueAt.getTime()).toBe(Math.max(addLocalDays(from, sortedDays[i]!, zone).getTime(), unpaidAt.getTime()));
          });
          expect([...notices.map((n) => n.template)].sort()).toEqual(timeline.notices.map((n) => n.template).sort());
          if (timeline.withdraw.enabled) {
            const withdrawal = steps.at(-1)!;
            expect(withdrawal.kind).toBe("withdrawal");
            const base = notices.at(-1)?.dueAt ?? unpaidAt;
            expect(withdrawal.dueAt.getTime() - base.getTime()).toBe(timeline.withdraw.hoursAfterLastNotice * 3_600_000);
          }
        },
      ),
    );
  });

  it("does not modify the saved timeline", () => {
    const timeline: DunningTimelineSettings = structuredClone({ ...DEFAULT_DUNNING_TIMELINE, notices: [...DEFAULT_DUNNING_TIMELINE.notices].reverse() });
    const before = structuredClone(timeline);
    dunningSteps(paidThrough, paidThrough, timeline, TOKYO);
    expect(timeline).toEqual(before);
  });
});
