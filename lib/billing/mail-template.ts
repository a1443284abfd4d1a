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
] as const;
export type MailTemplate = (typeof MAIL_TEMPLATES)[number];

export const DUNNING_TEMPLATES = ["unpaid_notice", "final_notice", "withdrawal_notice"] as const;
export type DunningTemplate = (typeof DUNNING_TEMPLATES)[number];
