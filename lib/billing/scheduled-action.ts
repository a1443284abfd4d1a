import type { MailTemplate } from "./mail-template";

export const ACTION_KINDS = [
  "trial_end",
  "trial_reminder",
  "renewal",
  "retry",
  "dunning_notice",
  /** The dunning timeline's fallback: the overdue invoice sent as a 後払い (konbini / bank) invoice. */
  "atobarai_fallback",
  "withdrawal",
  "period_end_cancel",
  "card_expiry_notice",
  "unpause",
  "final_invoice",
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** Kinds whose run may charge a card: they go through the batched open → charge → settle path. */
export const CHARGE_ACTION_KINDS: readonly ActionKind[] = ["renewal", "trial_end", "retry", "final_invoice"];

/**
 * The kinds that carry a contract's course, called off together when it ends or changes course. A card's expiry
 * notice belongs to the card, and a final invoice (with its retries) to the usage of a course that has ended: neither
 * is part of it.
 */
export const COURSE_KINDS: readonly ActionKind[] = ACTION_KINDS.filter((k) => k !== "card_expiry_notice" && k !== "final_invoice");

/** The dunning timeline's steps (dunningSteps): what an unpaid contract's course is made of after its retries. */
export const DUNNING_KINDS: readonly ActionKind[] = ["dunning_notice", "atobarai_fallback", "withdrawal"];

/** The actions that collect an overdue invoice: its retries and the dunning timeline. */
export const COLLECTION_KINDS: readonly ActionKind[] = ["retry", ...DUNNING_KINDS];

export type ActionPayload = {
  template?: MailTemplate;
  /** 1-based index into the retry schedule; absent for a manual retry. */
  retryNumber?: number;
  manual?: boolean;
  /** Card expiry month, "YYYY-MM". */
  month?: string;
  /** The bulk job that planned this (manual) retry: the job finds its own actions again after a crash. */
  bulkJob?: string;
};

/** Why a pending action was called off (scheduled_actions.outcome of a canceled row). */
export const CANCEL_REASONS = [
  "superseded",
  "paid",
  "canceled",
  "cancel_at_period_end",
  "resumed",
  "contract_cancel",
  "contract_withdraw",
  "paused",
  "hard_decline",
  /** The charge waits for the customer to authenticate it: retries without them cannot succeed. */
  "authentication_required",
  "settings_changed",
  "plan_changed",
] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

/** Reasons that end a contract's current course (its retries and dunning stop for good). */
export const COURSE_ENDING_REASONS: ReadonlySet<CancelReason> = new Set(["canceled", "contract_cancel", "contract_withdraw", "resumed", "paused"]);

/** How a run ended: "done" and "skipped" are final; "failed" is final too and says why (e.g. the contract is gone). */
export type ActionStatus = "pending" | "done" | "canceled" | "skipped" | "failed";

/** Keys that make scheduling an action idempotent: the same future effect is one row. */
export const actionKeys = {
  renewal: (subscriptionId: string, paidThrough: Date) => `renewal:${subscriptionId}:${paidThrough.toISOString()}`,
  trialEnd: (subscriptionId: string, trialEnd: Date) => `trial_end:${subscriptionId}:${trialEnd.toISOString()}`,
  trialReminder: (subscriptionId: string, trialEnd: Date) => `trial_reminder:${subscriptionId}:${trialEnd.toISOString()}`,
  retry: (invoiceId: string, retryNumber: number) => `retry:${invoiceId}:${retryNumber}`,
  manualRetry: (invoiceId: string, dueAt: Date) => `manual_retry:${invoiceId}:${dueAt.toISOString()}`,
  dunningNotice: (invoiceId: string, template: string) => `dunning:${invoiceId}:${template}`,
  withdrawal: (invoiceId: string) => `withdrawal:${invoiceId}`,
  atobaraiFallback: (invoiceId: string) => `atobarai_fallback:${invoiceId}`,
  periodEndCancel: (subscriptionId: string, paidThrough: Date) => `period_end_cancel:${subscriptionId}:${paidThrough.toISOString()}`,
  cardExpiry: (paymentMethodId: string, month: string) => `card_expiry:${paymentMethodId}:${month}`,
  unpause: (subscriptionId: string, pausedAt: Date) => `unpause:${subscriptionId}:${pausedAt.toISOString()}`,
  finalInvoice: (subscriptionId: string, endedAt: Date) => `final_invoice:${subscriptionId}:${endedAt.toISOString()}`,
  finalInvoiceRetry: (invoiceId: string, retryNumber: number) => `final_invoice:${invoiceId}:${retryNumber}`,
};

export const ACTION_LABELS_JA: Record<ActionKind, string> = {
  trial_end: "お試し終了・初回課金",
  trial_reminder: "お試し終了のお知らせ",
  renewal: "継続課金",
  retry: "再決済",
  dunning_notice: "督促メール",
  atobarai_fallback: "コンビニ・銀行払いの請求書",
  withdrawal: "退会処理",
  period_end_cancel: "期間終了で解約",
  card_expiry_notice: "カード有効期限のお知らせ",
  unpause: "停止の解除",
  final_invoice: "最終請求（従量分）",
};
