import type { StaffRole } from "@/lib/auth/roles";
import { type ContractState, paidTimeLeft } from "@/lib/billing/contract";
import { canTransition, isEnded, isLive } from "@/lib/billing/subscription-state";
import { staffMay } from "../authorize";

/**
 * Which of a contract's verbs the console offers, and why not when it does not. The services stay the authority
 * (they raise forbidden or conflict); this mirrors their rules so that a button is disabled with the reason instead
 * of failing when pressed. Pure: the page computes it from the detail query, the tests without a browser.
 */

export type UnavailableReason =
  /** The staff member's role may not do this (viewers read only). */
  | "role"
  /** Refunds are for owners and admins. */
  | "role_refund"
  | "already_ended"
  | "not_resumable"
  | "not_pausable"
  /** Set to end at its paid-through date: it is not paused (cancel now, or resume first). */
  | "canceling"
  | "nothing_owed"
  | "no_card"
  | "not_chargeable"
  | "no_usage_prices"
  | "not_live"
  | "not_changeable"
  | "no_other_plan"
  | "invoice_not_paid"
  | "nothing_charged"
  | "fully_refunded";

export type Availability = { enabled: true; reason: null } | { enabled: false; reason: UnavailableReason };

/** What "resume" does to this contract (decideResume): each is worded differently in its dialog. */
export type ResumeMode = "undo_cancel" | "unpause" | "restore" | "restart";

export type ContractActions = {
  /** periodEnd: it may also end at its paid-through date instead of now. */
  cancel: Availability & { periodEnd: boolean };
  resume: Availability & { mode: ResumeMode | null };
  pause: Availability;
  retry: Availability;
  /** extendPaidThrough: a paid extra charge may extend the paid-through date by a cycle. */
  chargeAdditional: Availability & { extendPaidThrough: boolean };
  recordUsage: Availability;
  /** periodEnd: the change may wait for the next renewal. */
  changePlan: Availability & { periodEnd: boolean };
};

export type ContractActionFacts = {
  role: StaffRole;
  /** The contract's own time (its test clock's). */
  now: Date;
  subscription: Pick<ContractState, "status" | "cancelAtPeriodEnd" | "paidThrough" | "paymentMethodId" | "pendingPlanId">;
  /** The open invoice a manual retry would collect (getSubscriptionDetail's owedInvoiceId). */
  owedInvoiceId: string | null;
  /** The plan prices usage (a metric to record). */
  hasUsagePrices: boolean;
  /** Another active plan in the contract's currency exists. */
  hasOtherPlans: boolean;
};

const ENABLED: Availability = { enabled: true, reason: null };
const no = (reason: UnavailableReason): Availability => ({ enabled: false, reason });

export function contractActions(facts: ContractActionFacts): ContractActions {
  const { subscription: sub, now } = facts;
  const operate = staffMay(facts.role, "contracts.operate");
  const when = (allowed: boolean, reason: UnavailableReason): Availability => (!operate ? no("role") : allowed ? ENABLED : no(reason));
  const goodStanding = sub.status === "active" || sub.status === "trialing";

  // decideResume: withdraw an end-of-period cancellation, un-pause, restore paid time, or restart with a charge.
  const paidLeft = paidTimeLeft({ state: sub, now });
  const mode: ResumeMode | null =
    goodStanding && sub.cancelAtPeriodEnd ? "undo_cancel" : sub.status === "paused" ? "unpause" : isEnded(sub.status) ? (paidLeft ? "restore" : "restart") : null;
  const resume = mode === "restart" && !sub.paymentMethodId ? when(false, "no_card") : when(mode !== null, "not_resumable");

  const chargeable = sub.status !== "canceled" && sub.status !== "withdrawn" && sub.status !== "incomplete";
  return {
    // decideCancel: anything not ended; only a contract in good standing with paid time may wait for its end.
    cancel: { ...when(canTransition(sub.status, "cancel"), "already_ended"), periodEnd: goodStanding && sub.paidThrough !== null && !sub.cancelAtPeriodEnd },
    resume: { ...resume, mode },
    // decidePause: active or trialing, not set to end.
    pause: canTransition(sub.status, "pause") && sub.cancelAtPeriodEnd ? when(false, "canceling") : when(canTransition(sub.status, "pause"), "not_pausable"),
    // retryPayment: something owed (owedInvoice).
    retry: when(facts.owedInvoiceId !== null, "nothing_owed"),
    // chargeAdditional: not ended or incomplete, a card on file; its card-on-file window is the service's to judge.
    chargeAdditional: {
      ...(chargeable && !sub.paymentMethodId ? when(false, "no_card") : when(chargeable, "not_chargeable")),
      extendPaidThrough: canTransition(sub.status, "payment_succeeded"),
    },
    // recordUsage: a live contract on a plan that prices usage.
    recordUsage: !facts.hasUsagePrices ? when(false, "no_usage_prices") : when(isLive(sub.status), "not_live"),
    // decideChangePlan: active or trialing, to another plan (or back to the current one, withdrawing a pending change).
    changePlan: {
      ...(goodStanding ? when(facts.hasOtherPlans || sub.pendingPlanId !== null, "no_other_plan") : when(false, "not_changeable")),
      periodEnd: !sub.cancelAtPeriodEnd,
    },
  };
}

export type RefundFacts = { status: string; total: number; refunds: readonly { amount: number; status: "pending" | "succeeded" | "failed" }[] };

/** What is left to refund of an invoice: its total less refunds made or on their way (refundInvoice counts both). */
export function refundableAmount(invoice: RefundFacts): number {
  const held = invoice.refunds.filter((r) => r.status !== "failed").reduce((sum, r) => sum + r.amount, 0);
  return Math.max(0, invoice.total - held);
}

/** refundInvoice's rules: owners and admins, a paid invoice that charged something, not refunded in full. */
export function refundAvailability(role: StaffRole, invoice: RefundFacts): Availability {
  if (!staffMay(role, "refunds.issue")) return no("role_refund");
  if (invoice.status !== "paid") return no("invoice_not_paid");
  if (invoice.total === 0) return no("nothing_charged");
  return refundableAmount(invoice) > 0 ? ENABLED : no("fully_refunded");
}
