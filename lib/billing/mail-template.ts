export const MAIL_TEMPLATES = [
  "welcome",
  "charge_succeeded",
  "charge_failed",
  "unpaid_notice",
  "final_notice",
  "withdrawal_notice",
  "trial_ending",
  "card_expiring",
  "canceled",
  "resumed",
  "paused",
  "plan_changed",
  "refund",
  "sign_in_link",
  "password_reset",
  "email_change",
] as const;
export type MailTemplate = (typeof MAIL_TEMPLATES)[number];

export const DUNNING_TEMPLATES = ["unpaid_notice", "final_notice", "withdrawal_notice"] as const;
export type DunningTemplate = (typeof DUNNING_TEMPLATES)[number];

/** Outbox keys: one mail per event, whoever decides on it and however often. */
export const mailKeys = {
  welcome: (subscriptionId: string) => `welcome:${subscriptionId}`,
  receipt: (invoiceId: string) => `receipt:${invoiceId}`,
  chargeFailed: (attemptId: string) => `charge_failed:${attemptId}`,
  dunning: (invoiceId: string, template: DunningTemplate) => `dunning:${invoiceId}:${template}`,
  trialEnding: (subscriptionId: string) => `trial_ending:${subscriptionId}`,
  cardExpiring: (paymentMethodId: string, month: string) => `card_expiry:${paymentMethodId}:${month}`,
  canceled: (subscriptionId: string, at: Date) => `canceled:${subscriptionId}:${at.toISOString()}`,
  resumed: (subscriptionId: string, at: Date) => `resumed:${subscriptionId}:${at.toISOString()}`,
  paused: (subscriptionId: string, at: Date) => `paused:${subscriptionId}:${at.toISOString()}`,
  planChanged: (subscriptionId: string, at: Date) => `plan_changed:${subscriptionId}:${at.toISOString()}`,
  refund: (refundId: string) => `refund:${refundId}`,
  /** Mypage mails: one per token asked for. */
  customerToken: (tokenId: string) => `customer_token:${tokenId}`,
};
