import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_DUNNING_TIMELINE, type DunningTimelineSettings } from "./billing-settings";
import { addLocalDays } from "./calendar";
import { type DunningStep, dunningSteps } from "./dunning-timeline";
import { DUNNING_TEMPLATES } from "./mail-template";

/** Steps as [what, ISO time] pairs. */
const plain = (steps: DunningStep[]) => steps.map((s) => [s.kind === "dunning_notice" ? s.template : s.kind, s.dueAt.toISOString()]);

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

  it("the fallback invoice on its day (local midnight), in order among the notices", () => {
    const timeline: DunningTimelineSettings = { ...DEFAULT_DUNNING_TIMELINE, fallbackInvoice: { enabled: true, daysAfterPaidThrough: 14 } };
    expect(plain(dunningSteps(paidThrough, paidThrough, timeline, TOKYO))).toEqual([
      ["unpaid_notice", "2027-03-25T15:00:00.000Z"],
      ["atobarai_fallback", "2027-04-07T15:00:00.000Z"], // 2027-04-08 00:00 JST
      ["final_notice", "2027-05-23T15:00:00.000Z"],
      ["withdrawal_notice", "2027-05-30T15:00:00.000Z"],
      ["withdrawal", "2027-05-30T16:00:00.000Z"],
    ]);
  });

  it("a fallback day that passed before the contract became unpaid: sent then, after the notices due at the same time", () => {
    const unpaidAt = new Date("2027-04-07T15:00:05.000Z");
    const timeline: DunningTimelineSettings = { ...DEFAULT_DUNNING_TIMELINE, fallbackInvoice: { enabled: true, daysAfterPaidThrough: 3 } };
    expect(plain(dunningSteps(paidThrough, unpaidAt, timeline, TOKYO)).slice(0, 2)).toEqual([
      ["unpaid_notice", "2027-04-07T15:00:05.000Z"],
      ["atobarai_fallback", "2027-04-07T15:00:05.000Z"],
    ]);
  });

  it("the fallback invoice on the day of withdrawal: before it; after it when set later (withdrawal still follows the last notice)", () => {
    const notices = [{ template: "final_notice" as const, daysAfterPaidThrough: 30 }];
    const same: DunningTimelineSettings = { notices, withdraw: { enabled: true, hoursAfterLastNotice: 0 }, fallbackInvoice: { enabled: true, daysAfterPaidThrough: 30 } };
    expect(plain(dunningSteps(paidThrough, paidThrough, same, TOKYO)).map(([what]) => what)).toEqual(["final_notice", "atobarai_fallback", "withdrawal"]);
    const later: DunningTimelineSettings = { ...same, fallbackInvoice: { enabled: true, daysAfterPaidThrough: 40 } };
    expect(plain(dunningSteps(paidThrough, paidThrough, later, TOKYO))).toEqual([
      ["final_notice", "2027-04-23T15:00:00.000Z"],
      ["withdrawal", "2027-04-23T15:00:00.000Z"],
      ["atobarai_fallback", "2027-05-03T15:00:00.000Z"],
    ]);
  });

  it("no fallback step when it is off, or absent from settings saved before it existed", () => {
    const off: DunningTimelineSettings = { ...DEFAULT_DUNNING_TIMELINE, fallbackInvoice: { enabled: false, daysAfterPaidThrough: 3 } };
    expect(dunningSteps(paidThrough, paidThrough, off, TOKYO).some((s) => s.kind === "atobarai_fallback")).toBe(false);
    expect(DEFAULT_DUNNING_TIMELINE.fallbackInvoice).toBeUndefined();
    expect(dunningSteps(paidThrough, paidThrough, DEFAULT_DUNNING_TIMELINE, TOKYO).some((s) => s.kind === "atobarai_fallback")).toBe(false);
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
    fallbackInvoice: fc.option(fc.record({ enabled: fc.boolean(), daysAfterPaidThrough: fc.integer({ min: 0, max: 400 }) }), { nil: undefined }),
  });

  it("every step is due no earlier than unpaidAt, in order, each notice and the fallback at max(its time, unpaidAt), withdrawal after the last notice", () => {
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
          const fallbackOn = timeline.fallbackInvoice?.enabled === true;
          expect(steps).toHaveLength(timeline.notices.length + (timeline.withdraw.enabled ? 1 : 0) + (fallbackOn ? 1 : 0));
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
          const fallback = steps.filter((s) => s.kind === "atobarai_fallback");
          expect(fallback.map((s) => s.dueAt.getTime())).toEqual(fallbackOn ? [Math.max(addLocalDays(from, timeline.fallbackInvoice!.daysAfterPaidThrough, zone).getTime(), unpaidAt.getTime())] : []);
          if (timeline.withdraw.enabled) {
            const withdrawal = steps.find((s) => s.kind === "withdrawal")!;
            expect(steps.filter((s) => s.kind !== "atobarai_fallback").at(-1)).toBe(withdrawal);
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
