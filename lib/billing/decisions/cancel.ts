import type { ContractFacts } from "../contract";
import { type Effects, effects, type Refusal, refuse } from "../effects";
import { mailKeys } from "../mail-template";
import { actionKeys, COURSE_KINDS } from "../scheduled-action";
import { canTransition, isOverdue, nextStatus } from "../subscription-state";

export type CancelRequest = { atPeriodEnd: boolean; reason: string | null; hasUnbilledUsage: boolean };

/**
 * Cancel at the paid-through date (the default) or now. Only a contract with paid (or trial) time left can wait for
 * its end; an overdue or paused one ends now. Ending now calls off everything planned, writes off what is owed and,
 * when usage was recorded and not billed yet, plans its final invoice.
 */
export function decideCancel(facts: ContractFacts, request: CancelRequest): Effects | Refusal {
  const { state, now } = facts;
  if (!canTransition(state.status, "cancel")) return refuse("conflict", "illegal_state", `A ${state.status} contract cannot be canceled`);
  const mail = { template: "canceled" as const, key: mailKeys.canceled(facts.id, now) };
  const atPeriodEnd = request.atPeriodEnd && (state.status === "active" || state.status === "trialing") && state.paidThrough !== null;
  if (atPeriodEnd) {
    if (state.cancelAtPeriodEnd) return refuse("conflict", "already_canceling", "The contract is already set to end at its paid-through date");
    return effects({
      changes: { cancelAtPeriodEnd: true, canceledAt: now, cancelReason: request.reason, pendingPlanId: null },
      callOff: [{ kinds: ["renewal", "trial_end", "trial_reminder"], reason: "cancel_at_period_end" }],
      plan: [{ kind: "period_end_cancel", dueAt: state.paidThrough!, key: actionKeys.periodEndCancel(facts.id, state.paidThrough!) }],
      mails: [mail],
      audit: [{ action: "subscription.canceled", data: { atPeriodEnd: true, reason: request.reason } }],
    });
  }
  return effects({
    changes: {
      status: nextStatus(state.status, "cancel"),
      canceledAt: now,
      endedAt: now,
      cancelReason: request.reason,
      cancelAtPeriodEnd: false,
      pendingPlanId: null,
      pausedAt: null,
      resumeAt: null,
    },
    callOff: [{ kinds: COURSE_KINDS, reason: "canceled" }],
    invoices: isOverdue(state.status) && state.overdueInvoiceId ? [{ invoiceId: state.overdueInvoiceId, status: "uncollectible" }] : [],
    plan: request.hasUnbilledUsage ? [{ kind: "final_invoice", dueAt: now, key: actionKeys.finalInvoice(facts.id, now) }] : [],
    mails: [mail],
    audit: [{ action: "subscription.canceled", data: { atPeriodEnd: false, reason: request.reason } }],
  });
}
