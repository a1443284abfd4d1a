import type { BillingSettings } from "./billing-settings";
import type { PlanTerms } from "./plan";
import type { SubscriptionStatus } from "./subscription-state";

/** What a contract is, for the billing rules: the subscription's own columns, as plain data. */
export type ContractState = {
  status: SubscriptionStatus;
  planId: string;
  paymentMethodId: string | null;
  /** Day of month 1–31 or weekday 0–6 that every period boundary is aligned to. */
  billingAnchor: number;
  trialStart: Date | null;
  trialEnd: Date | null;
  currentPeriodStart: Date | null;
  /** The paid-through date (有効期限): end of the paid period and the next charge date. */
  paidThrough: Date | null;
  joiningFeePending: boolean;
  cancelAtPeriodEnd: boolean;
  cancelReason: string | null;
  canceledAt: Date | null;
  endedAt: Date | null;
  /** The invoice whose non-payment made the contract past_due/unpaid (or a final invoice still owed). */
  overdueInvoiceId: string | null;
  unpaidSince: Date | null;
  lastPaymentAt: Date | null;
  pausedAt: Date | null;
  /** When a paused contract un-pauses by itself, if ever. */
  resumeAt: Date | null;
  /** A plan change that takes effect at the next renewal. */
  pendingPlanId: string | null;
  /** Credit owed to the customer (a downgrade's unused days), taken off the next invoices; never paid out. */
  creditBalance: number;
};

/** A plan as the rules see it: its terms, id and the name on invoices and mails. */
export type PlanFacts = PlanTerms & { id: string; name: string };

/** Everything a decision about one contract needs, with the contract's own "now" (its test clock's time). */
export type ContractFacts = {
  id: string;
  state: ContractState;
  plan: PlanFacts;
  settings: BillingSettings;
  timeZone: string;
  now: Date;
};

/** A contract still in (or, ended, left in) its trial: no period was ever started. */
export function inTrial(state: Pick<ContractState, "currentPeriodStart" | "trialEnd">): boolean {
  return state.currentPeriodStart === null && state.trialEnd !== null;
}

/** The paid-through date is still ahead: the customer has paid (or been given) time that is not used up. */
export function paidTimeLeft(facts: { state: Pick<ContractState, "paidThrough">; now: Date }): boolean {
  return facts.state.paidThrough !== null && facts.state.paidThrough.getTime() > facts.now.getTime();
}
