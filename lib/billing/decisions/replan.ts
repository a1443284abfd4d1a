import type { ContractFacts } from "../contract";
import { combine, type Effects, effects, type PlannedAction } from "../effects";
import { type ActionKind, COLLECTION_KINDS } from "../scheduled-action";
import { effectiveRetrySchedule, retryTimes } from "../retry-schedule";
import { automaticRetries, dunningActions, startDunning } from "./course";

/** A contract's overdue invoice and the actions planned for it, read before the merchant's settings change. */
export type OverdueCourse = {
  invoiceId: string;
  /** When the invoice's charge first failed: the retry schedule counts from here. */
  firstFailureAt: Date;
  /** The highest automatic retry number that already ran. */
  retriesDone: number;
  /** Pending automatic retries, notices and withdrawal. */
  pending: readonly Pick<PlannedAction, "kind" | "key" | "dueAt" | "payload">[];
  /** Keys of actions that already ran: never planned again. */
  ranKeys: ReadonlySet<string>;
  /** Its last charge was declined for authentication: no retries, its dunning waits for the customer (decideChargeFailed). */
  awaitingAuthentication?: boolean;
};

export type Replan = { effects: Effects; before: Pick<PlannedAction, "kind" | "key" | "dueAt" | "payload">[]; after: PlannedAction[] };

const REPLANNED: readonly ActionKind[] = COLLECTION_KINDS;

/**
 * New billing settings applied to a contract that owes an invoice (`facts.settings` are the new ones): the retries
 * not yet run are planned by the new schedule from the first failure (one whose time has passed is due now; none
 * left means the retries are exhausted and dunning starts), and an unpaid contract's notices and withdrawal by the
 * new timeline (steps that ran are not repeated). Null when nothing changes. A plan's own retry schedule wins over
 * the merchant's. A past-due contract waiting for the customer to authenticate its charge has no retries: its
 * notices and withdrawal follow the new timeline from when the retries (by the schedule now in force) would have run
 * out.
 */
export function replanOverdue(facts: ContractFacts, course: OverdueCourse): Replan | null {
  const { state, now } = facts;
  const fresh = (planned: PlannedAction[]) => planned.filter((a) => !course.ranKeys.has(a.key));
  let after: PlannedAction[];
  let transition: Effects = effects();
  if (state.status === "past_due" && course.awaitingAuthentication) {
    const schedule = effectiveRetrySchedule(facts.plan.retryScheduleDays, facts.settings.retryScheduleDays);
    const retriesEnd = retryTimes(course.firstFailureAt, schedule, facts.timeZone).at(-1) ?? course.firstFailureAt;
    after = fresh(dunningActions(facts, course.invoiceId, retriesEnd > now ? retriesEnd : now));
  } else if (state.status === "past_due") {
    if (facts.plan.retryScheduleDays !== null) return null;
    after = fresh(automaticRetries(facts, course.invoiceId, course.firstFailureAt, course.retriesDone + 1));
    if (after.length === 0) {
      transition = startDunning(facts, course.invoiceId, "retries_exhausted");
      after = fresh(transition.plan);
      transition = { ...transition, plan: [] };
    }
  } else if (state.status === "unpaid") {
    after = fresh(dunningActions(facts, course.invoiceId, now));
  } else {
    return null;
  }
  const same =
    after.length === course.pending.length &&
    after.every((a) => course.pending.some((p) => p.key === a.key && p.kind === a.kind && p.dueAt.getTime() === a.dueAt.getTime()));
  if (same && transition.changes.status === undefined) return null;
  return {
    effects: combine(
      transition,
      effects({
        callOff: [{ kinds: REPLANNED, reason: "settings_changed", keepManualRetries: true }],
        plan: after,
        audit: [{ action: "subscription.replanned", data: { reason: "billing_settings", before: course.pending.length, after: after.length } }],
      }),
    ),
    before: [...course.pending],
    after,
  };
}
