import { type ContractFacts, inTrial, paidTimeLeft } from "../contract";
import { type Effects, effects, type Refusal, refuse } from "../effects";
import { mailKeys } from "../mail-template";
import { actionKeys } from "../scheduled-action";
import { canTransition, nextStatus } from "../subscription-state";
import { courseFromPaidThrough, renewalAt, restartAnchor, trialEndAt } from "./course";

/** Pauses longer than this are refused: a pause is a break, not a way to keep a contract forever. */
export const MAX_PAUSE_DAYS = 3 * 366;

/**
 * Pause collection (停止): no renewals, retries or dunning while paused; the paid-through date is kept. Only a
 * contract in good standing pauses (active, or trialing: the trial's end date is kept like a paid-through date); an
 * overdue one must pay or be canceled, and one set to end at its period end simply ends there.
 */
export function decidePause(facts: ContractFacts, request: { resumeAt: Date | null }): Effects | Refusal {
  const { state, now } = facts;
  if (!canTransition(state.status, "pause")) return refuse("conflict", "illegal_state", `A ${state.status} contract cannot be paused`);
  if (state.cancelAtPeriodEnd) return refuse("conflict", "already_canceling", "The contract is set to end at its paid-through date; it cannot be paused");
  const { resumeAt } = request;
  if (resumeAt && resumeAt.getTime() <= now.getTime()) return refuse("invalid", "parameter_invalid", "resume_at must be in the future", "resumeAt");
  if (resumeAt && resumeAt.getTime() - now.getTime() > MAX_PAUSE_DAYS * 86_400_000) {
    return refuse("invalid", "parameter_invalid", `A pause can last at most ${MAX_PAUSE_DAYS} days`, "resumeAt");
  }
  return effects({
    changes: { status: nextStatus(state.status, "pause"), pausedAt: now, resumeAt },
    callOff: [{ kinds: ["renewal", "trial_end", "trial_reminder"], reason: "paused" }],
    plan: resumeAt ? [{ kind: "unpause", dueAt: resumeAt, key: actionKeys.unpause(facts.id, now) }] : [],
    mails: [{ template: "paused", key: mailKeys.paused(facts.id, now), variables: { resume_at: resumeAt ? resumeAt.toISOString() : "" } }],
    audit: [{ action: "subscription.paused", data: { resumeAt: resumeAt?.toISOString() ?? null } }],
  });
}

/**
 * Un-pause, now or at the planned time. With paid (or trial) time left the contract goes on as it was: its next
 * charge falls on the paid-through date. Otherwise the paused time is not billed: the cycle starts again today
 * (on the plan's billing day, if it has one) and the charge for it is due at once — a trial's conversion, or a
 * renewal whose first period follows the plan's first-period rule.
 */
export function decideUnpause(facts: ContractFacts): Effects | Refusal {
  const { state, now, timeZone } = facts;
  if (state.status !== "paused") return refuse("conflict", "illegal_state", `A ${state.status} contract is not paused`);
  const trial = inTrial(state);
  const common = effects({
    callOff: [{ kinds: ["unpause"], reason: "resumed" }],
    mails: [{ template: "resumed", key: mailKeys.resumed(facts.id, now) }],
    audit: [{ action: "subscription.unpaused", data: { pausedAt: state.pausedAt?.toISOString() ?? null } }],
  });
  const status = nextStatus(state.status, trial ? "unpause_trial" : "unpause");
  if (paidTimeLeft(facts)) {
    return { ...common, changes: { status, pausedAt: null, resumeAt: null }, plan: courseFromPaidThrough(facts) };
  }
  if (trial) {
    return {
      ...common,
      changes: { status, pausedAt: null, resumeAt: null, trialEnd: now, paidThrough: now, billingAnchor: restartAnchor(facts.plan, now, timeZone) },
      plan: trialEndAt({ ...facts, state: { ...state, trialStart: null } }, now),
    };
  }
  return {
    ...common,
    changes: { status, pausedAt: null, resumeAt: null, paidThrough: now, billingAnchor: restartAnchor(facts.plan, now, timeZone) },
    plan: [renewalAt(facts, now)],
  };
}
