export const SUBSCRIPTION_STATUSES = ["trialing", "active", "past_due", "unpaid", "withdrawn", "canceled", "paused", "incomplete"] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export const STATUS_LABELS_JA: Record<SubscriptionStatus, string> = {
  trialing: "お試し中",
  active: "有効",
  past_due: "再決済中",
  unpaid: "決済エラー",
  withdrawn: "退会",
  canceled: "解約",
  paused: "停止中",
  incomplete: "未完了",
};

export const SUBSCRIPTION_EVENTS = [
  "payment_succeeded",
  "payment_failed",
  /** A decline no retry can cure (lost, stolen, expired card): the retries are skipped. */
  "hard_decline",
  "retries_exhausted",
  "withdraw",
  "cancel",
  "resume",
  /** A contract canceled in its trial, resumed before the trial's end: the trial goes on. */
  "resume_trial",
  "pause",
  "unpause",
  "unpause_trial",
] as const;
export type SubscriptionEvent = (typeof SUBSCRIPTION_EVENTS)[number];

/** Every legal move of a contract. A missing entry is an illegal transition. docs/architecture.md draws it. */
const TRANSITIONS: Record<SubscriptionStatus, Partial<Record<SubscriptionEvent, SubscriptionStatus>>> = {
  trialing: { payment_succeeded: "active", payment_failed: "past_due", hard_decline: "unpaid", cancel: "canceled", pause: "paused" },
  active: { payment_succeeded: "active", payment_failed: "past_due", hard_decline: "unpaid", cancel: "canceled", pause: "paused" },
  past_due: { payment_succeeded: "active", payment_failed: "past_due", hard_decline: "unpaid", retries_exhausted: "unpaid", cancel: "canceled" },
  unpaid: { payment_succeeded: "active", payment_failed: "unpaid", hard_decline: "unpaid", withdraw: "withdrawn", cancel: "canceled" },
  withdrawn: { resume: "active" },
  canceled: { resume: "active", resume_trial: "trialing" },
  paused: { unpause: "active", unpause_trial: "trialing", cancel: "canceled" },
  incomplete: { payment_succeeded: "active", payment_failed: "incomplete", hard_decline: "incomplete", cancel: "canceled" },
};

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: SubscriptionStatus,
    readonly event: SubscriptionEvent,
  ) {
    super(`a ${from} contract cannot ${event.replace(/_/g, " ")}`);
    this.name = "IllegalTransitionError";
  }
}

export function nextStatus(from: SubscriptionStatus, event: SubscriptionEvent): SubscriptionStatus {
  const to = TRANSITIONS[from][event];
  if (!to) throw new IllegalTransitionError(from, event);
  return to;
}

export function canTransition(from: SubscriptionStatus, event: SubscriptionEvent): boolean {
  return TRANSITIONS[from][event] !== undefined;
}

/** Every (from, event, to) of the table, for the state diagram and its test. */
export function transitions(): { from: SubscriptionStatus; event: SubscriptionEvent; to: SubscriptionStatus }[] {
  return SUBSCRIPTION_STATUSES.flatMap((from) => SUBSCRIPTION_EVENTS.flatMap((event) => (TRANSITIONS[from][event] ? [{ from, event, to: TRANSITIONS[from][event]! }] : [])));
}

/** Contracts that may still be charged; their cards get expiry notices. */
export function isLive(status: SubscriptionStatus): boolean {
  return status === "trialing" || status === "active" || status === "past_due" || status === "unpaid" || status === "paused";
}

/** Contracts that owe an invoice. */
export function isOverdue(status: SubscriptionStatus): boolean {
  return status === "past_due" || status === "unpaid" || status === "incomplete";
}

/** Contracts that ended: only a resume brings them back. */
export function isEnded(status: SubscriptionStatus): boolean {
  return status === "canceled" || status === "withdrawn";
}
