import { localDateOf, startOfLocalDay } from "../calendar";
import type { ContractFacts, ContractState } from "../contract";
import { billingAnchorFor } from "../cycle";
import { type Effects, effects, type Refusal, refuse } from "../effects";
import { firstPaidPeriod } from "../first-period";
import type { InvoiceDraft } from "../invoice";
import { mailKeys } from "../mail-template";
import { trialEndDate } from "../trial";
import { renewalAt, trialEndAt as trialActions } from "./course";
import { periodDraft } from "./period-charge";

export type SignUp = {
  /** The new contract's columns. */
  state: ContractState;
  /** What follows at once: the welcome mail, the trial's end or the first renewal. */
  effects: Effects;
  /** The first charge (first period and joining fee in one payment), when the contract starts paying now. */
  charge: InvoiceDraft | null;
};

/**
 * A new contract: a trial (converted later with no second checkout), a free period up to the billing day, or an
 * immediate first charge of the first period plus the joining fee in one payment — incomplete until it is paid.
 */
export function decideSignUp(facts: Omit<ContractFacts, "state">, signUp: { paymentMethodId: string | null }): SignUp | Refusal {
  const { plan, timeZone, now } = facts;
  const signupDate = localDateOf(now, timeZone);
  const trialEnd = trialEndDate(plan, signupDate);
  const start = trialEnd ?? signupDate;
  const anchor = billingAnchorFor(plan.interval, plan.billingDay, start);
  const period = firstPaidPeriod(plan, anchor, start);
  const chargesNow = !trialEnd && period.kind !== "free_until_billing_day";
  if (chargesNow && !signUp.paymentMethodId) return refuse("invalid", "parameter_invalid", "A payment method is needed: this plan charges at sign-up", "payment_method");
  const trialEndAt = trialEnd ? startOfLocalDay(trialEnd, timeZone) : null;
  const periodEndAt = startOfLocalDay(period.periodEnd, timeZone);
  const state: ContractState = {
    status: trialEnd ? "trialing" : chargesNow ? "incomplete" : "active",
    planId: plan.id,
    paymentMethodId: signUp.paymentMethodId,
    billingAnchor: anchor,
    trialStart: trialEnd ? now : null,
    trialEnd: trialEndAt,
    currentPeriodStart: chargesNow || trialEnd ? null : now,
    // While trialing or free, the contract is paid through the day its first charge falls due.
    paidThrough: trialEndAt ?? (chargesNow ? null : periodEndAt),
    joiningFeePending: plan.joiningFee > 0,
    cancelAtPeriodEnd: false,
    cancelReason: null,
    canceledAt: null,
    endedAt: null,
    overdueInvoiceId: null,
    unpaidSince: null,
    lastPaymentAt: null,
    pausedAt: null,
    resumeAt: null,
    pendingPlanId: null,
    creditBalance: 0,
  };
  const full: ContractFacts = { ...facts, state };
  const welcome = effects({
    mails: [{ template: "welcome", key: mailKeys.welcome(facts.id) }],
    audit: [{ action: "subscription.created", data: { plan: plan.id } }],
  });
  if (trialEndAt) return { state, effects: { ...welcome, plan: trialActions(full, trialEndAt) }, charge: null };
  if (!chargesNow) return { state, effects: { ...welcome, plan: [renewalAt(full, periodEndAt)] }, charge: null };
  const draft = periodDraft(full, { invoiceKind: "first", plan, anchor, start, startAt: now, includeJoiningFee: true, usage: [], billingKey: `first:${facts.id}` });
  return { state, effects: welcome, charge: "charge" in draft ? draft.charge : null };
}
