import { isEnded, isOverdue, type SubscriptionStatus } from "./subscription-state";

/** What a bulk job does to each contract it works on (bulk_jobs.kind). */
export const BULK_JOB_KINDS = ["retry", "cancel"] as const;
export type BulkJobKind = (typeof BULK_JOB_KINDS)[number];

/** Retry what each contract owes now (at: null) or at a chosen instant; cancel now or at each contract's paid-through date. */
export type BulkRetryParams = { at: Date | null };
export type BulkCancelParams = { atPeriodEnd: boolean; reason: string | null };
export type BulkAction = { kind: "retry"; params: BulkRetryParams } | { kind: "cancel"; params: BulkCancelParams };

/**
 * Why a contract is left as it is (bulk_job_items.reason of a skipped item). The page translates each.
 * - nothing_owed: the contract has no overdue invoice (active, trialing, paused, or paid meanwhile)
 * - contract_ended: canceled or withdrawn: a bulk retry leaves ended contracts alone (their page retries a final invoice)
 * - already_scheduled: a manual retry of the same invoice at that very time is already planned
 * - already_ended: a bulk cancel found the contract canceled or withdrawn
 * - already_canceling: a cancel at period end found one already set
 * - called_off: the retry the job planned was called off before it ran (the contract was paid or ended meanwhile)
 */
export const BULK_SKIP_REASONS = ["nothing_owed", "contract_ended", "already_scheduled", "already_ended", "already_canceling", "called_off"] as const;
export type BulkSkipReason = (typeof BULK_SKIP_REASONS)[number];

/** What is known of a contract before acting on it: enough to tell, without locking it, whether it will be skipped. */
export type BulkItemFacts = {
  status: SubscriptionStatus;
  /** It has an open overdue invoice (incomplete, past due or unpaid). */
  owes: boolean;
  cancelAtPeriodEnd: boolean;
  /** A manual retry of its overdue invoice at the job's chosen time is already planned. */
  retryPlanned: boolean;
};

/**
 * Whether a bulk action leaves this contract as it is, and why; null when it will act. The preview counts these from
 * the database, and the job asks again under the contract's lock before each contract, so both tell the same story.
 * (A cancel is then still decided by decideCancel, whose refusals say the same things.)
 */
export function bulkSkip(action: BulkAction, facts: BulkItemFacts): BulkSkipReason | null {
  if (action.kind === "retry") {
    if (isEnded(facts.status)) return "contract_ended";
    if (!isOverdue(facts.status) || !facts.owes) return "nothing_owed";
    if (action.params.at && facts.retryPlanned) return "already_scheduled";
    return null;
  }
  if (isEnded(facts.status)) return "already_ended";
  const waitsForPeriodEnd = action.params.atPeriodEnd && (facts.status === "active" || facts.status === "trialing");
  if (waitsForPeriodEnd && facts.cancelAtPeriodEnd) return "already_canceling";
  return null;
}
