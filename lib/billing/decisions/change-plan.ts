import { daysBetween, localDateOf, startOfLocalDay } from "../calendar";
import type { ContractFacts, PlanFacts } from "../contract";
import { addCycles } from "../cycle";
import { type Effects, effects, type Refusal, refuse } from "../effects";
import { firstPaidPeriod, prorate } from "../first-period";
import { type InvoiceDraft, type InvoiceLineDraft, periodInvoiceLines, withCredit } from "../invoice";
import { cycleChanges, restartAnchor } from "./course";
import { planChangedMail } from "./invoice-paid";

export type PlanChangeRequest = {
  target: PlanFacts;
  when: "now" | "period_end";
  proration: "daily" | "none";
  /**
   * What the customer paid, net of credits, for the period that ends at the paid-through date: a credit for unused
   * days never exceeds it (a free or prorated first period earns no more credit than was paid for it).
   */
  paidForCurrentPeriod: number;
  /** How many plan-change invoices the contract had before: each change gets an invoice of its own. */
  changeNumber: number;
};

/** A plan change to be paid now: the invoice (maybe of zero, when a downgrade's credit covers it). */
export type PlanChangeCharge = { charge: InvoiceDraft };

/**
 * Change plan, now or at the next renewal.
 * - At period end: the new plan is remembered and its first renewal bills it (a new cycle there when the interval
 *   or billing day differ).
 * - Now, no proration: the new plan is in force at once and billed from the paid-through date; nothing is charged
 *   or credited now (so no day is billed twice, and unused days are simply not refunded).
 * - Now, daily proration (日割): one invoice credits the old plan's unused days and charges the new plan's, each line
 *   rounded down; an interval or billing-day change instead starts the new plan's cycle today, its first period
 *   charged by the plan's rule. A downgrade's net credit is carried to the next invoices, never paid out.
 * - In a trial nothing has been paid: the plan changes (now, or at the trial's end) and the trial goes on.
 * Only an active or trialing contract changes plan, within its currency; daily proration needs the same tax
 * treatment on both plans, so that a credit means the same on either.
 */
export function decideChangePlan(facts: ContractFacts, request: PlanChangeRequest): Effects | PlanChangeCharge | Refusal {
  const { state, plan, now, timeZone } = facts;
  const { target } = request;
  if (state.status !== "active" && state.status !== "trialing") return refuse("conflict", "illegal_state", `A ${state.status} contract cannot change plan`);
  if (target.id === plan.id) {
    if (!state.pendingPlanId) return refuse("conflict", "same_plan", "The contract is already on this plan", "plan");
    return effects({ changes: { pendingPlanId: null }, audit: [{ action: "subscription.plan_change_withdrawn", data: { pending: state.pendingPlanId } }] });
  }
  if (target.currency.toLowerCase() !== plan.currency.toLowerCase()) return refuse("invalid", "currency_mismatch", `The new plan bills in ${target.currency.toUpperCase()}, the contract in ${plan.currency.toUpperCase()}`, "plan");
  const audit = [{ action: "subscription.plan_changed", data: { from: plan.id, to: target.id, when: request.when, proration: request.proration } }];

  if (request.when === "period_end") {
    if (state.cancelAtPeriodEnd) return refuse("conflict", "already_canceling", "The contract ends at its paid-through date; there is no next period to change");
    return effects({ changes: { pendingPlanId: target.id }, mails: [planChangedMail(facts, target)], audit });
  }
  const switched = (anchorDate: Date) =>
    effects({
      changes: { planId: target.id, pendingPlanId: null, ...(cycleChanges(plan, state.billingAnchor, target) ? { billingAnchor: restartAnchor(target, anchorDate, timeZone) } : {}) },
      mails: [planChangedMail(facts, target)],
      audit,
    });
  if (state.status === "trialing") return switched(state.trialEnd ?? now);
  if (request.proration === "none") return switched(state.paidThrough ?? now);

  if (target.taxBehavior !== plan.taxBehavior || target.taxRate !== plan.taxRate) {
    return refuse("invalid", "tax_mismatch", "Daily proration needs both plans to have the same tax treatment (inclusive/exclusive and rate); change with proration 'none' or at period end", "plan");
  }
  const today = localDateOf(now, timeZone);
  const paidThroughDate = localDateOf(state.paidThrough!, timeZone);
  const unused = Math.max(0, daysBetween(today, paidThroughDate));
  const cycleStart = addCycles(paidThroughDate, plan.interval, state.billingAnchor, -1);
  const cycleDays = daysBetween(cycleStart, paidThroughDate);
  const credit = unused > 0 && cycleDays > 0 ? Math.min(prorate(plan.amount, Math.min(unused, cycleDays), cycleDays), Math.max(0, request.paidForCurrentPeriod)) : 0;
  const creditLine: InvoiceLineDraft[] =
    credit > 0 ? [{ kind: "proration_credit", description: `${plan.name} 未使用分 (${unused}/${cycleDays}日)`, amount: -credit, quantity: 1, periodStart: today, periodEnd: paidThroughDate }] : [];

  let lines: InvoiceLineDraft[];
  let periodEnd: Date;
  if (cycleChanges(plan, state.billingAnchor, target)) {
    const anchor = restartAnchor(target, now, timeZone);
    const period = firstPaidPeriod(target, anchor, today);
    lines = [...periodInvoiceLines(target, target.name, period, { includeJoiningFee: false }), ...creditLine];
    periodEnd = startOfLocalDay(period.periodEnd, timeZone);
  } else {
    const charge = unused > 0 && cycleDays > 0 ? prorate(target.amount, Math.min(unused, cycleDays), cycleDays) : 0;
    lines = [
      ...(charge > 0 ? [{ kind: "proration" as const, description: `${target.name} 日割 (${unused}/${cycleDays}日)`, amount: charge, quantity: 1, periodStart: today, periodEnd: paidThroughDate }] : []),
      ...creditLine,
    ];
    periodEnd = state.paidThrough!;
  }
  const credited = withCredit(lines, state.creditBalance);
  return {
    charge: {
      kind: "plan_change",
      billingKey: `plan_change:${facts.id}:${request.changeNumber}`,
      planId: target.id,
      lines: credited.lines,
      periodStart: now,
      periodEnd,
      creditApplied: credited.creditApplied,
    },
  };
}
