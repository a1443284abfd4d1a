import { compareDates, type LocalDate } from "@/lib/billing/calendar";
import type { AtobaraiSettings } from "./settings";

/** What happens to an unpaid 後払い invoice after its due date: reminders, then collection (要回収). */
export type CollectionStep = { kind: "reminder"; number: number; on: LocalDate } | { kind: "collection"; on: LocalDate };

/** The due date of an invoice issued on `issuedOn` (a local date in the merchant's time zone). */
export function dueDateOf(issuedOn: LocalDate, settings: Pick<AtobaraiSettings, "dueDays">): LocalDate {
  return issuedOn.add({ days: settings.dueDays });
}

/** The reminders and the hand-over to collection of an invoice due on `dueOn`, in order. */
export function collectionSchedule(dueOn: LocalDate, settings: Pick<AtobaraiSettings, "reminderDays" | "collectionAfterDays">): CollectionStep[] {
  const steps: CollectionStep[] = settings.reminderDays.map((days, i) => ({ kind: "reminder", number: i + 1, on: dueOn.add({ days }) }));
  const collectionOn = dueOn.add({ days: settings.collectionAfterDays });
  return [...steps.filter((s) => compareDates(s.on, collectionOn) < 0), { kind: "collection", on: collectionOn }];
}
