import { localDateOf } from "../calendar";
import type { ContractFacts, PlanFacts } from "../contract";
import { combine, type Effects, effects, isRefusal } from "../effects";
import type { InvoiceDraft, UsageTotal } from "../invoice";
import { usageLines, withCredit } from "../invoice";
import type { DunningTemplate } from "../mail-template";
import { mailKeys } from "../mail-template";
import { type ActionKind, type ActionPayload, actionKeys, COURSE_KINDS } from "../scheduled-action";
import { nextStatus } from "../subscription-state";
import { cycleChanges, restartAnchor } from "./course";
import { periodStarted } from "./invoice-paid";
import { decideUnpause } from "./pause";
import { periodDraft } from "./period-charge";

/** A scheduled action as the rules see it. */
export type DueAction = { id: string; kind: ActionKind; dueAt: Date; invoiceId: string | null; payload: ActionPayload };

/** What running a due action comes to. */
export type DueActionDecision =
  /** Nothing to do any more (the contract moved on): the action ends with this outcome. */
  | { skip: string; status: "done" | "skipped" }
  /** Issue this invoice and charge it. */
  | { charge: InvoiceDraft }
  /** Charge this open invoice again. */
  | { collect: string }
  /** No payment: apply these effects, and end the action with this outcome. */
  | { apply: Effects; outcome: string }
  /**
   * Send this overdue invoice as a 後払い (konbini / bank) invoice, after these effects; whether it can be sent (後払い
   * on, a yen invoice still open, none sent yet) is the sending service's to say.
   */
  | { sendFallback: string; effects: Effects };

export type DueActionFacts = {
  /** Usage recorded before the paid-through date and not billed yet (read for renewals and final invoices). */
  usage: readonly UsageTotal[];
  /** The plan a pending plan change moves to, when there is one. */
  pendingPlan: PlanFacts | null;
};

const skip = (reason: string, status: "done" | "skipped" = "skipped"): DueActionDecision => ({ skip: reason, status });

/**
 * A due action, re-checked against the contract as it is now: each kind runs only while the contract is still in
 * the state that planned it (a renewal while active and paid through exactly its due time, a retry while its
 * invoice is the overdue one, a notice while unpaid — or past due waiting for the customer to authenticate the
 * charge, which it makes unpaid —, …); anything else ends the action as skipped.
 */
export function decideDueAction(facts: ContractFacts, action: DueAction, more: DueActionFacts): DueActionDecision {
  const { state, now } = facts;
  const overdueMatches = state.status === "unpaid" && state.overdueInvoiceId === action.invoiceId;
  // A charge waiting for the customer's authentication has its dunning planned while past due (decideChargeFailed):
  // the first step that falls due with the invoice still unpaid makes the contract unpaid.
  const awaitingAuthentication =
    state.status === "past_due" && state.overdueInvoiceId === action.invoiceId && (action.kind === "dunning_notice" || action.kind === "atobarai_fallback" || action.kind === "withdrawal");
  const unpaidNow = awaitingAuthentication ? effects({ changes: { status: nextStatus(state.status, "retries_exhausted"), unpaidSince: now } }) : effects();
  switch (action.kind) {
    case "renewal": {
      if (state.status !== "active" || state.cancelAtPeriodEnd) return skip(`contract_${state.status}`);
      if (state.paidThrough?.getTime() !== action.dueAt.getTime()) return skip("paid_through_moved");
      const plan = more.pendingPlan ?? facts.plan;
      const anchor = more.pendingPlan && cycleChanges(facts.plan, state.billingAnchor, plan) ? restartAnchor(plan, state.paidThrough, facts.timeZone) : state.billingAnchor;
      return periodDecision(facts, "renewal", plan, anchor, state.paidThrough, more.usage, `renewal:${facts.id}:${state.paidThrough.toISOString()}`);
    }
    case "trial_end": {
      if (state.status !== "trialing") return skip(`contract_${state.status}`);
      if (state.trialEnd?.getTime() !== action.dueAt.getTime()) return skip("trial_end_moved");
      const plan = more.pendingPlan ?? facts.plan;
      const anchor = more.pendingPlan && cycleChanges(facts.plan, state.billingAnchor, plan) ? restartAnchor(plan, state.trialEnd, facts.timeZone) : state.billingAnchor;
      return periodDecision(facts, "first", plan, anchor, state.trialEnd, more.usage, `first:${facts.id}`);
    }
    case "retry":
      if (!action.invoiceId || state.overdueInvoiceId !== action.invoiceId) return skip("not_overdue");
      return { collect: action.invoiceId };
    case "final_invoice": {
      // A retry of a final invoice already issued (charge-failed.ts plans them): charge it again while it is open.
      if (action.invoiceId) return { collect: action.invoiceId };
      const lines = usageLines(facts.plan, more.usage);
      if (lines.length === 0) return skip("no_usage", "done");
      const credited = withCredit(lines, state.creditBalance);
      return {
        charge: {
          kind: "final",
          billingKey: `final:${facts.id}:${action.dueAt.toISOString()}`,
          planId: facts.plan.id,
          lines: credited.lines,
          periodStart: null,
          periodEnd: null,
          creditApplied: credited.creditApplied,
        },
      };
    }
    case "unpause": {
      const unpaused = decideUnpause(facts);
      return isRefusal(unpaused) ? skip(`contract_${state.status}`) : { apply: unpaused, outcome: "unpaused" };
    }
    case "dunning_notice": {
      if (!overdueMatches && !awaitingAuthentication) return skip("skipped_not_unpaid");
      const template = action.payload.template as DunningTemplate;
      return { apply: combine(unpaidNow, effects({ mails: [{ template, key: mailKeys.dunning(action.invoiceId!, template), invoiceId: action.invoiceId }] })), outcome: "mail_queued" };
    }
    case "atobarai_fallback":
      if (!overdueMatches && !awaitingAuthentication) return skip("skipped_not_unpaid");
      return { sendFallback: action.invoiceId!, effects: unpaidNow };
    case "withdrawal":
      if (!overdueMatches && !awaitingAuthentication) return skip("skipped_not_unpaid");
      return {
        apply: effects({
          changes: { status: nextStatus(awaitingAuthentication ? nextStatus(state.status, "retries_exhausted") : state.status, "withdraw"), endedAt: now, ...(awaitingAuthentication ? { unpaidSince: now } : {}) },
          callOff: [{ kinds: COURSE_KINDS, reason: "contract_withdraw" }],
          invoices: [{ invoiceId: action.invoiceId!, status: "uncollectible" }],
          audit: [{ action: "subscription.withdrawal", data: { actionId: action.id, outcome: "withdrawn" } }],
        }),
        outcome: "withdrawn",
      };
    case "period_end_cancel":
      if (!state.cancelAtPeriodEnd || (state.status !== "active" && state.status !== "trialing")) return skip("skipped_not_canceling");
      return {
        apply: effects({
          changes: { status: nextStatus(state.status, "cancel"), endedAt: now, canceledAt: state.canceledAt ?? now },
          callOff: [{ kinds: COURSE_KINDS, reason: "contract_cancel" }],
          // Usage of the last period is billed on a final invoice, right after the contract ends.
          plan: more.usage.length > 0 ? [{ kind: "final_invoice", dueAt: now, key: actionKeys.finalInvoice(facts.id, now) }] : [],
          audit: [{ action: "subscription.period_end_cancel", data: { actionId: action.id, outcome: "canceled" } }],
        }),
        outcome: "canceled",
      };
    case "trial_reminder":
      if (state.status !== "trialing") return skip("skipped_not_trialing");
      return { apply: effects({ mails: [{ template: "trial_ending", key: mailKeys.trialEnding(facts.id) }] }), outcome: "mail_queued" };
    case "card_expiry_notice":
      return skip("not_a_contract_action");
  }
}

function periodDecision(facts: ContractFacts, invoiceKind: "first" | "renewal", plan: PlanFacts, anchor: number, startAt: Date, usage: readonly UsageTotal[], billingKey: string): DueActionDecision {
  const draft = periodDraft(facts, {
    invoiceKind,
    plan,
    anchor,
    start: localDateOf(startAt, facts.timeZone),
    startAt,
    includeJoiningFee: facts.state.joiningFeePending,
    usage,
    billingKey,
  });
  if ("charge" in draft) return draft;
  // A free period (up to the plan's billing day): it starts with no invoice; the joining fee waits for the first paid one.
  const started = periodStarted(facts, { kind: invoiceKind, periodStart: draft.free.periodStart, periodEnd: draft.free.periodEnd, plan });
  return { apply: started, outcome: "no_charge_due" };
}
