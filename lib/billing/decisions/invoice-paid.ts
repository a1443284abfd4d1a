import { localDateOf, startOfLocalDay } from "../calendar";
import type { ContractFacts, ContractState, PlanFacts } from "../contract";
import { addCycles } from "../cycle";
import { type Effects, effects, type MailDecision } from "../effects";
import type { InvoiceKind } from "../invoice";
import { mailKeys } from "../mail-template";
import { recoveredPaidThrough } from "../recovery";
import { actionKeys, COLLECTION_KINDS } from "../scheduled-action";
import { canTransition, isOverdue, nextStatus, type SubscriptionEvent } from "../subscription-state";
import { cycleChanges, renewalAt, restartAnchor } from "./course";

/** What the rules need to know of an invoice that has just been paid. */
export type PaidInvoice = {
  id: string;
  kind: InvoiceKind;
  total: number;
  currency: string;
  periodStart: Date | null;
  periodEnd: Date | null;
  extendPaidThrough: boolean;
  sendMail: boolean;
  hasJoiningFee: boolean;
  /** The plan the invoice bills, when it bills one. */
  plan: PlanFacts | null;
  /** Credit a plan change left to the customer. */
  creditCarried: number;
};

/**
 * A paid invoice moves the contract on. The cases, in the order they are told apart:
 * - a contract's last usage (final): the debt is settled, nothing else changes;
 * - a charge that landed after the contract ended or restarted: the money is recorded, the contract stays;
 * - what was overdue (or an extension collecting it): the contract recovers, paid one full cycle from today;
 * - a plan change: the new plan applies (a new cycle if its interval or billing day differ), credit is carried;
 * - a first period, a renewal or a restart: the paid period starts and the next renewal is planned;
 * - an additional charge that extends: the paid-through date moves one cycle;
 * - any other additional charge: only the payment is recorded.
 */
export function decideInvoicePaid(facts: ContractFacts, invoice: PaidInvoice): Effects {
  const { state, now } = facts;
  const paid: Partial<ContractState> = { lastPaymentAt: now };
  if (state.joiningFeePending && invoice.hasJoiningFee) paid.joiningFeePending = false;
  const receipt: MailDecision[] =
    invoice.sendMail && invoice.total > 0 ? [{ template: "charge_succeeded", key: mailKeys.receipt(invoice.id), invoiceId: invoice.id, amount: { amount: invoice.total, currency: invoice.currency } }] : [];
  const audit = [{ action: "invoice.paid", target: { type: "invoice" as const, id: invoice.id }, data: { kind: invoice.kind, total: invoice.total, currency: invoice.currency } }];

  if (invoice.kind === "final") {
    return effects({ changes: paid, callOff: [{ kinds: ["final_invoice"], reason: "paid", invoiceId: invoice.id }], mails: receipt, audit });
  }

  const event: SubscriptionEvent = invoice.kind === "resume" ? "resume" : "payment_succeeded";
  // A checkout paid on a retry before its first period is over keeps that period: nothing was missed.
  const checkoutInPeriod = state.status === "incomplete" && invoice.kind === "first" && invoice.periodEnd !== null && now < invoice.periodEnd;
  const collectsOverdue = !checkoutInPeriod && (invoice.id === state.overdueInvoiceId || (invoice.kind === "additional" && invoice.extendPaidThrough && isOverdue(state.status)));
  const movesContract = invoice.kind !== "additional" || invoice.extendPaidThrough;
  const landedLate = movesContract && !canTransition(state.status, event);

  if (landedLate) return effects({ changes: paid, mails: receipt, audit });
  if (collectsOverdue) return withMails(recover(facts, invoice, paid), receipt, audit);
  switch (invoice.kind) {
    case "plan_change":
      return withMails(planChanged(facts, invoice, paid), receipt, audit);
    case "first":
    case "renewal":
    case "resume":
      return withMails(periodStarted(facts, invoice, paid), [...(invoice.kind === "resume" ? [resumedMail(invoice)] : []), ...receipt], audit);
    case "additional":
      if (invoice.extendPaidThrough && state.paidThrough) return withMails(extended(facts, paid), receipt, audit);
      return effects({ changes: paid, mails: receipt, audit });
  }
}

function withMails(base: Effects, mails: MailDecision[], audit: Effects["audit"]): Effects {
  return { ...base, mails: [...base.mails, ...mails], audit: [...base.audit, ...audit] };
}

function resumedMail(invoice: PaidInvoice): MailDecision {
  return { template: "resumed", key: `resumed:${invoice.id}`, invoiceId: invoice.id };
}

/** The plan the contract moves to with this invoice, if it is another one. */
function switchedPlan(facts: ContractFacts, invoice: PaidInvoice): PlanFacts | null {
  return invoice.plan && invoice.plan.id !== facts.state.planId ? invoice.plan : null;
}

/** A paid period starts: the contract is paid through the invoice's period and its next renewal is planned. */
export function periodStarted(facts: ContractFacts, invoice: Pick<PaidInvoice, "kind" | "periodStart" | "periodEnd" | "plan">, paid: Partial<ContractState> = {}): Effects {
  const { state, timeZone } = facts;
  const next = switchedPlan(facts, invoice as PaidInvoice);
  const changes: Partial<ContractState> = {
    ...paid,
    status: nextStatus(state.status, invoice.kind === "resume" ? "resume" : "payment_succeeded"),
    currentPeriodStart: invoice.periodStart,
    paidThrough: invoice.periodEnd,
    overdueInvoiceId: null,
  };
  if (next) {
    Object.assign(changes, { planId: next.id, pendingPlanId: null });
    if (cycleChanges(facts.plan, state.billingAnchor, next)) changes.billingAnchor = restartAnchor(next, invoice.periodStart!, timeZone);
  }
  if (invoice.kind === "resume") {
    // A restarted contract's cycle starts on the restart day, unless its plan fixes a billing day.
    Object.assign(changes, {
      billingAnchor: restartAnchor(next ?? facts.plan, invoice.periodStart!, timeZone),
      canceledAt: null,
      endedAt: null,
      cancelAtPeriodEnd: false,
      cancelReason: null,
      unpaidSince: null,
      pausedAt: null,
      resumeAt: null,
    });
  }
  return effects({ changes, plan: [renewalAt(facts, invoice.periodEnd!)] });
}

/** Paying what was overdue ends retries and dunning and starts one full cycle from the payment date. */
function recover(facts: ContractFacts, invoice: PaidInvoice, paid: Partial<ContractState>): Effects {
  const { state, now, timeZone } = facts;
  const plan = switchedPlan(facts, invoice) ?? facts.plan;
  const paidThrough = recoveredPaidThrough(now, plan.interval, state.billingAnchor, plan.billingDay !== null, timeZone);
  const changes: Partial<ContractState> = {
    ...paid,
    status: nextStatus(state.status, "payment_succeeded"),
    currentPeriodStart: now,
    paidThrough,
    billingAnchor: restartAnchor(plan, paidThrough, timeZone),
    overdueInvoiceId: null,
    unpaidSince: null,
    ...(plan.id !== state.planId ? { planId: plan.id, pendingPlanId: null } : {}),
  };
  return effects({
    changes,
    // The unpaid balance was collected by an additional charge instead: the overdue invoice is void.
    invoices: state.overdueInvoiceId && invoice.id !== state.overdueInvoiceId ? [{ invoiceId: state.overdueInvoiceId, status: "void" }] : [],
    callOff: [{ kinds: [...COLLECTION_KINDS, "renewal", "trial_end", "trial_reminder"], reason: "paid" }],
    plan: [renewalAt(facts, paidThrough)],
  });
}

/** A plan change is paid: the new plan applies now; an interval or billing-day change starts its new cycle today. */
function planChanged(facts: ContractFacts, invoice: PaidInvoice, paid: Partial<ContractState>): Effects {
  const { state, timeZone } = facts;
  const plan = invoice.plan ?? facts.plan;
  const restarts = invoice.periodEnd !== null && state.paidThrough !== null && invoice.periodEnd.getTime() !== state.paidThrough.getTime();
  const changes: Partial<ContractState> = { ...paid, planId: plan.id, pendingPlanId: null, creditBalance: state.creditBalance + invoice.creditCarried };
  if (!restarts) return effects({ changes, mails: [planChangedMail(facts, plan)] });
  const end = invoice.periodEnd!;
  return effects({
    changes: { ...changes, currentPeriodStart: invoice.periodStart, paidThrough: end, billingAnchor: restartAnchor(plan, invoice.periodStart!, timeZone) },
    // A contract set to end at its period end still ends there: at the end of the new period.
    callOff: [{ kinds: ["renewal", "period_end_cancel"], reason: "plan_changed" }],
    plan: [state.cancelAtPeriodEnd ? { kind: "period_end_cancel", dueAt: end, key: actionKeys.periodEndCancel(facts.id, end) } : renewalAt(facts, end)],
    mails: [planChangedMail(facts, plan)],
  });
}

export function planChangedMail(facts: ContractFacts, plan: PlanFacts): MailDecision {
  return { template: "plan_changed", key: mailKeys.planChanged(facts.id, facts.now), variables: { plan: plan.name } };
}

/** An additional charge that extends the paid-through date by one cycle (seed 001). */
function extended(facts: ContractFacts, paid: Partial<ContractState>): Effects {
  const { state, timeZone } = facts;
  const longer = startOfLocalDay(addCycles(localDateOf(state.paidThrough!, timeZone), facts.plan.interval, state.billingAnchor, 1), timeZone);
  return effects({
    changes: { ...paid, paidThrough: longer },
    callOff: [{ kinds: ["renewal", "period_end_cancel"], reason: "superseded" }],
    plan: [state.cancelAtPeriodEnd ? { kind: "period_end_cancel", dueAt: longer, key: actionKeys.periodEndCancel(facts.id, longer) } : renewalAt(facts, longer)],
  });
}
