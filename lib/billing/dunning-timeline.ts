import { addHours, addLocalDays } from "./calendar";
import { type DunningTimelineSettings, fallbackInvoiceOf } from "./billing-settings";
import type { DunningTemplate } from "./mail-template";

export type DunningStep = { kind: "dunning_notice"; template: DunningTemplate; dueAt: Date } | { kind: "atobarai_fallback"; dueAt: Date } | { kind: "withdrawal"; dueAt: Date };

/**
 * What happens to a contract once its retries are exhausted, relative to its paid-through date, in order of time. A
 * notice (or the 後払い fallback invoice) whose time passed before the contract became unpaid is sent at once;
 * withdrawal follows the last notice.
 */
export function dunningSteps(paidThrough: Date, unpaidAt: Date, timeline: DunningTimelineSettings, timeZone: string): DunningStep[] {
  const notices = [...timeline.notices]
    .sort((a, b) => a.daysAfterPaidThrough - b.daysAfterPaidThrough)
    .map((n) => ({ kind: "dunning_notice" as const, template: n.template, dueAt: latest(addLocalDays(paidThrough, n.daysAfterPaidThrough, timeZone), unpaidAt) }));
  const steps: DunningStep[] = [...notices];
  const fallback = fallbackInvoiceOf(timeline);
  if (fallback.enabled) steps.push({ kind: "atobarai_fallback", dueAt: latest(addLocalDays(paidThrough, fallback.daysAfterPaidThrough, timeZone), unpaidAt) });
  if (timeline.withdraw.enabled) {
    const lastNoticeAt = notices.at(-1)?.dueAt ?? unpaidAt;
    steps.push({ kind: "withdrawal", dueAt: addHours(lastNoticeAt, timeline.withdraw.hoursAfterLastNotice) });
  }
  // Stable: at the same time notices come first, then the fallback invoice, then withdrawal.
  return steps.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

function latest(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}
