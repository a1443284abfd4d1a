import { localDateOf } from "../calendar";
import { type ContractFacts, inTrial, paidTimeLeft } from "../contract";
import { type Effects, effects, type Refusal, refuse } from "../effects";
import type { InvoiceDraft } from "../invoice";
import { mailKeys } from "../mail-template";
import { isEnded, nextStatus } from "../subscription-state";
import { courseFromPaidThrough, restartAnchor } from "./course";
import { periodStarted } from "./invoice-paid";
import { decideUnpause } from "./pause";
import { periodDraft } from "./period-charge";

/** A resume that needs a payment: a new first period from today, by the plan's rule (the restart invoice). */
export type ResumeCharge = { charge: InvoiceDraft };

/**
 * The one "resume" button, whatever the contract is:
 * - set to end at its period end: the cancellation is withdrawn and the course goes on as planned;
 * - paused: it un-pauses (see decideUnpause);
 * - canceled or withdrawn with paid (or trial) time left: it is restored as it was, with no charge — the
 *   time was paid for once and is not billed again; its next charge falls on the paid-through date;
 * - canceled or withdrawn after its paid-through date: a new first period starts today by the plan's rule (no new
 *   trial; the joining fee only if it was never paid), charged at once. A declined charge changes nothing.
 */
export function decideResume(facts: ContractFacts, restartNumber: number): Effects | ResumeCharge | Refusal {
  const { state, now, timeZone } = facts;
  const resumedMail = { template: "resumed" as const, key: mailKeys.resumed(facts.id, now) };
  if ((state.status === "active" || state.status === "trialing") && state.cancelAtPeriodEnd) {
    return effects({
      changes: { cancelAtPeriodEnd: false, canceledAt: null, cancelReason: null },
      callOff: [{ kinds: ["period_end_cancel"], reason: "resumed" }],
      plan: courseFromPaidThrough(facts),
      mails: [resumedMail],
      audit: [{ action: "subscription.resumed", data: { undo: "cancel_at_period_end" } }],
    });
  }
  if (state.status === "paused") return decideUnpause(facts);
  if (!isEnded(state.status)) return refuse("conflict", "illegal_state", `A ${state.status} contract cannot be resumed`);
  if (paidTimeLeft(facts)) {
    const trial = inTrial(state);
    return effects({
      changes: {
        status: nextStatus(state.status, trial ? "resume_trial" : "resume"),
        canceledAt: null,
        endedAt: null,
        cancelReason: null,
        cancelAtPeriodEnd: false,
        unpaidSince: null,
        // A final invoice still owed (the usage billed when it ended) keeps being collected on its schedule.
      },
      plan: courseFromPaidThrough(facts),
      mails: [resumedMail],
      audit: [{ action: "subscription.resumed", data: { restored: true, paidThrough: state.paidThrough!.toISOString() } }],
    });
  }
  if (!state.paymentMethodId) return refuse("invalid", "parameter_invalid", "The contract has no card on file to resume with", "payment_method");
  const today = localDateOf(now, timeZone);
  const anchor = restartAnchor(facts.plan, now, timeZone);
  const draft = periodDraft(facts, {
    invoiceKind: "resume",
    plan: facts.plan,
    anchor,
    start: today,
    startAt: now,
    includeJoiningFee: state.joiningFeePending,
    usage: [],
    billingKey: `resume:${facts.id}:${restartNumber}`,
  });
  if ("charge" in draft) return draft;
  const started = periodStarted(facts, { kind: "resume", periodStart: now, periodEnd: draft.free.periodEnd, plan: facts.plan });
  return { ...started, mails: [resumedMail], audit: [{ action: "subscription.resumed", data: { freeUntil: draft.free.periodEnd.toISOString() } }] };
}
