import { localDateOf, startOfLocalDay } from "../calendar";
import { type ContractFacts, inTrial, type PlanFacts } from "../contract";
import { billingAnchorFor } from "../cycle";
import { dunningSteps } from "../dunning-timeline";
import { type Effects, effects, type PlannedAction } from "../effects";
import { effectiveRetrySchedule, retryTimes } from "../retry-schedule";
import { actionKeys } from "../scheduled-action";
import { nextStatus } from "../subscription-state";
import { trialReminderDate } from "../trial";

/** The planning every decision shares: what a contract's course looks like from a given point. */

export function renewalAt(facts: Pick<ContractFacts, "id">, paidThrough: Date): PlannedAction {
  return { kind: "renewal", dueAt: paidThrough, key: actionKeys.renewal(facts.id, paidThrough) };
}

/** A trial's end and, if it is still ahead, its reminder. */
export function trialEndAt(facts: ContractFacts, trialEnd: Date): PlannedAction[] {
  const { state, plan, timeZone, now } = facts;
  const planned: PlannedAction[] = [{ kind: "trial_end", dueAt: trialEnd, key: actionKeys.trialEnd(facts.id, trialEnd) }];
  const reminder = state.trialStart ? trialReminderDate(plan, localDateOf(state.trialStart, timeZone), localDateOf(trialEnd, timeZone)) : null;
  const reminderAt = reminder ? startOfLocalDay(reminder, timeZone) : null;
  if (reminderAt && reminderAt > now) planned.push({ kind: "trial_reminder", dueAt: reminderAt, key: actionKeys.trialReminder(facts.id, trialEnd) });
  return planned;
}

/** What falls due at the paid-through date of a contract going on as it is: its trial's end, or its renewal. */
export function courseFromPaidThrough(facts: ContractFacts): PlannedAction[] {
  const paidThrough = facts.state.paidThrough!;
  return inTrial(facts.state) ? trialEndAt(facts, paidThrough) : [renewalAt(facts, paidThrough)];
}

/** The anchor a contract on `plan` gets when its cycle starts afresh on `start` (plan's billing day, or that day). */
export function restartAnchor(plan: Pick<PlanFacts, "interval" | "billingDay">, start: Date, timeZone: string): number {
  return billingAnchorFor(plan.interval, plan.billingDay, localDateOf(start, timeZone));
}

/** Does moving to `target` start a new cycle: another interval, or a fixed billing day other than the anchor. */
export function cycleChanges(current: Pick<PlanFacts, "interval">, anchor: number, target: Pick<PlanFacts, "interval" | "billingDay">): boolean {
  return current.interval !== target.interval || (target.billingDay !== null && target.billingDay !== anchor);
}

/** The automatic retries of an invoice that first failed at `firstFailureAt`, from retry number `from` on. */
export function automaticRetries(facts: ContractFacts, invoiceId: string, firstFailureAt: Date, from = 1): PlannedAction[] {
  const schedule = effectiveRetrySchedule(facts.plan.retryScheduleDays, facts.settings.retryScheduleDays);
  return retryTimes(firstFailureAt, schedule, facts.timeZone).flatMap((dueAt, i) =>
    i + 1 < from ? [] : [{ kind: "retry" as const, dueAt: dueAt < facts.now ? facts.now : dueAt, key: actionKeys.retry(invoiceId, i + 1), invoiceId, payload: { retryNumber: i + 1 } }],
  );
}

/**
 * The dunning timeline of an unpaid invoice, relative to the paid-through date. A step whose time has passed is due
 * at `notBefore` (the time retries ran out, or now), and withdrawal still follows the last notice by its hours.
 */
export function dunningActions(facts: ContractFacts, invoiceId: string, notBefore: Date): PlannedAction[] {
  const steps = dunningSteps(facts.state.paidThrough ?? notBefore, notBefore, facts.settings.dunning, facts.timeZone);
  return steps.map((step): PlannedAction => {
    switch (step.kind) {
      case "withdrawal":
        return { kind: "withdrawal", dueAt: step.dueAt, key: actionKeys.withdrawal(invoiceId), invoiceId };
      case "atobarai_fallback":
        return { kind: "atobarai_fallback", dueAt: step.dueAt, key: actionKeys.atobaraiFallback(invoiceId), invoiceId };
      case "dunning_notice":
        return { kind: "dunning_notice", dueAt: step.dueAt, key: actionKeys.dunningNotice(invoiceId, step.template), invoiceId, payload: { template: step.template } };
    }
  });
}

/** No more retries: the contract is unpaid and the merchant's dunning timeline starts now. */
export function startDunning(facts: ContractFacts, invoiceId: string, event: "retries_exhausted" | "hard_decline"): Effects {
  const { state, now } = facts;
  return effects({
    changes: { status: nextStatus(state.status, event), unpaidSince: now, overdueInvoiceId: invoiceId },
    callOff: event === "hard_decline" ? [{ kinds: ["retry"], reason: "hard_decline", keepManualRetries: true }] : [],
    plan: dunningActions(facts, invoiceId, now),
  });
}
