import { addHours, addLocalDays } from "./calendar";
import type { DunningTimelineSettings } from "./billing-settings";
import type { DunningTemplate } from "./mail-template";

export type DunningStep = { kind: "dunning_notice"; template: DunningTemplate; dueAt: Date } | { kind: "withdrawal"; dueAt: Date };

/**
 * What happens to a contract once its retries are exhausted, relative to its paid-through date. A notice whose
 * time passed before the contract became unpaid is sent at once; withdrawal follows the last notice.
 */
export function dunningSteps(paidThrough: Date, unpaidAt: Date, timeline: DunningTimelineSettings, timeZone: string): DunningStep[] {
  const notices = [...timeline.notices]
    .sort((a, b) => a.daysAfterPaidThrough - b.daysAfterPaidThrough)
    .map((n) => ({ kind: "dunning_notice" as const, template: n.template, dueAt: latest(addLocalDays(paidThrough, n.daysAfterPaidThrough, timeZone), unpaidAt) }));
  if (!timeline.withdraw.enabled) return notices;
  const lastNoticeAt = notices.at(-1)?.dueAt ?? unpaidAt;
  return [...notices, { kind: "withdrawal", dueAt: addHours(lastNoticeAt, timeline.withdraw.hoursAfterLastNotice) }];
}

function latest(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}
