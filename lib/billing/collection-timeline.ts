import { type BillingSettings, fallbackInvoiceOf } from "./billing-settings";
import type { DunningTemplate } from "./mail-template";

/**
 * One step of what happens to a contract whose renewal fails, in days after its paid-through date (day 0, when the
 * renewal is charged and fails). A notice set earlier than the last retry waits for it (dunningSteps sends it when
 * the contract becomes unpaid); withdrawal follows the last notice, or the last retry when there is no notice.
 */
export type CollectionStep =
  | { kind: "paid_through"; day: 0 }
  | { kind: "retry"; number: number; day: number }
  | { kind: "notice"; template: DunningTemplate; setDay: number; day: number }
  /** The overdue invoice sent as a 後払い (konbini / bank) invoice; like a notice, it waits for the last retry. */
  | { kind: "fallback_invoice"; setDay: number; day: number }
  | { kind: "withdrawal"; hoursAfter: number; day: number };

/** The merchant's retry schedule and dunning timeline as one line, in order (how the settings page draws them). */
export function collectionTimeline(settings: Pick<BillingSettings, "retryScheduleDays" | "dunning">): CollectionStep[] {
  const retries = settings.retryScheduleDays.map((day, i) => ({ kind: "retry" as const, number: i + 1, day }));
  const unpaidDay = retries.at(-1)?.day ?? 0;
  const notices = [...settings.dunning.notices]
    .sort((a, b) => a.daysAfterPaidThrough - b.daysAfterPaidThrough)
    .map((n) => ({ kind: "notice" as const, template: n.template, setDay: n.daysAfterPaidThrough, day: Math.max(n.daysAfterPaidThrough, unpaidDay) }));
  const steps: CollectionStep[] = [{ kind: "paid_through", day: 0 }, ...retries, ...notices];
  const fallback = fallbackInvoiceOf(settings.dunning);
  if (fallback.enabled) steps.push({ kind: "fallback_invoice", setDay: fallback.daysAfterPaidThrough, day: Math.max(fallback.daysAfterPaidThrough, unpaidDay) });
  const { withdraw } = settings.dunning;
  if (withdraw.enabled) steps.push({ kind: "withdrawal", hoursAfter: withdraw.hoursAfterLastNotice, day: (notices.at(-1)?.day ?? unpaidDay) + withdraw.hoursAfterLastNotice / 24 });
  // Stable: on the same day retries come before notices (the contract only becomes unpaid after its last retry), and
  // notices before the fallback invoice, as dunningSteps orders them.
  return steps.sort((a, b) => a.day - b.day);
}
