import type { MailTemplate } from "./mail-template";

export const ACTION_KINDS = [
  "trial_end",
  "trial_reminder",
  "renewal",
  "retry",
  "dunning_notice",
  "withdrawal",
  "period_end_cancel",
  "card_expiry_notice",
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export type ActionPayload = {
  template?: MailTemplate;
  /** 1-based index into the retry schedule; absent for a manual retry. */
  retryNumber?: number;
  manual?: boolean;
  /** Card expiry month, "YYYY-MM". */
  month?: string;
};

/** Keys that make scheduling an action idempotent: the same future effect is one row. */
export const actionKeys = {
  renewal: (subscriptionId: string, paidThrough: Date) => `renewal:${subscriptionId}:${paidThrough.toISOString()}`,
  trialEnd: (subscriptionId: string, trialEnd: Date) => `trial_end:${subscriptionId}:${trialEnd.toISOString()}`,
  trialReminder: (subscriptionId: string, trialEnd: Date) => `trial_reminder:${subscriptionId}:${trialEnd.toISOString()}`,
  retry: (invoiceId: string, retryNumber: number) => `retry:${invoiceId}:${retryNumber}`,
  manualRetry: (invoiceId: string, dueAt: Date) => `manual_retry:${invoiceId}:${dueAt.toISOString()}`,
  dunningNotice: (invoiceId: string, template: string) => `dunning:${invoiceId}:${template}`,
  withdrawal: (invoiceId: string) => `withdrawal:${invoiceId}`,
  periodEndCancel: (subscriptionId: string, paidThrough: Date) => `period_end_cancel:${subscriptionId}:${paidThrough.toISOString()}`,
  cardExpiry: (paymentMethodId: string, month: string) => `card_expiry:${paymentMethodId}:${month}`,
};

export const ACTION_LABELS_JA: Record<ActionKind, string> = {
  trial_end: "お試し終了・初回課金",
  trial_reminder: "お試し終了のお知らせ",
  renewal: "継続課金",
  retry: "再決済",
  dunning_notice: "督促メール",
  withdrawal: "退会処理",
  period_end_cancel: "期間終了で解約",
  card_expiry_notice: "カード有効期限のお知らせ",
};
