import { compareDates, type LocalDate, parseLocalDate } from "@/lib/billing/calendar";
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

/** What an unpaid order is owed today: the latest reminder not sent yet, or the hand-over to collection. */
export function collectionStepDue(order: { dueOn: string; remindersSent: number }, settings: Pick<AtobaraiSettings, "reminderDays" | "collectionAfterDays">, today: LocalDate): CollectionStep | null {
  const due = collectionSchedule(parseLocalDate(order.dueOn), settings).filter((step) => compareDates(step.on, today) <= 0);
  const collection = due.find((step) => step.kind === "collection");
  if (collection) return collection;
  // A worker that was stopped for days sends the latest reminder only, not each one it missed.
  const latest = due.at(-1);
  return latest && latest.kind === "reminder" && latest.number > order.remindersSent ? latest : null;
}

/** The day the next collection step falls on for an unpaid order: its next reminder not sent yet, or collection. */
export function nextCollectionStepOn(order: { dueOn: string; remindersSent: number }, settings: Pick<AtobaraiSettings, "reminderDays" | "collectionAfterDays">): LocalDate {
  const next = collectionSchedule(parseLocalDate(order.dueOn), settings).find((step) => step.kind === "collection" || step.number > order.remindersSent);
  // collectionSchedule always ends with collection, so a step is always found.
  return next!.on;
}
