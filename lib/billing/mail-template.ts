export const MAIL_TEMPLATES = [
  "welcome",
  "charge_succeeded",
  "charge_failed",
  "payment_authentication",
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
  "staff_invitation",
  "webhook_endpoint_disabled",
  "dispute_opened",
  "atobarai_screening_result",
  "atobarai_invoice",
  "atobarai_reminder",
  "atobarai_final_reminder",
  "atobarai_collection",
] as const;
export type MailTemplate = (typeof MAIL_TEMPLATES)[number];

/** Mails to the merchant's own staff (Keizoku's wording only): the merchant neither edits nor switches them off. */
export const STAFF_MAIL_TEMPLATES = ["staff_invitation", "webhook_endpoint_disabled", "dispute_opened", "atobarai_screening_result", "atobarai_collection"] as const satisfies readonly MailTemplate[];

/** The mails to customers, which the merchant words and switches on the mail settings page. */
export const CUSTOMER_MAIL_TEMPLATES = MAIL_TEMPLATES.filter((t) => !(STAFF_MAIL_TEMPLATES as readonly string[]).includes(t)) as Exclude<MailTemplate, (typeof STAFF_MAIL_TEMPLATES)[number]>[];
export type CustomerMailTemplate = (typeof CUSTOMER_MAIL_TEMPLATES)[number];

export const DUNNING_TEMPLATES = ["unpaid_notice", "final_notice", "withdrawal_notice"] as const;
export type DunningTemplate = (typeof DUNNING_TEMPLATES)[number];

/** Outbox keys: one mail per event, whoever decides on it and however often. */
export const mailKeys = {
  welcome: (subscriptionId: string) => `welcome:${subscriptionId}`,
  receipt: (invoiceId: string) => `receipt:${invoiceId}`,
  chargeFailed: (attemptId: string) => `charge_failed:${attemptId}`,
  /** One mail per charge the issuer would take only once the customer authenticates it. */
  paymentAuthentication: (attemptId: string) => `payment_authentication:${attemptId}`,
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
  /** One mail per sending of an invitation: the first, and each "send again". */
  staffInvitation: (invitationId: string, sentAt: Date) => `staff_invitation:${invitationId}:${sentAt.toISOString()}`,
  /** One mail per owner each time an endpoint is disabled for failing. */
  webhookEndpointDisabled: (endpointId: string, ownerId: string, at: Date) => `webhook_endpoint_disabled:${endpointId}:${ownerId}:${at.toISOString()}`,
  /** One mail per owner per chargeback. */
  disputeOpened: (disputeId: string, ownerId: string) => `dispute_opened:${disputeId}:${ownerId}`,
  /** One mail per owner per screened 後払い order. */
  atobaraiScreeningResult: (orderId: string, ownerId: string) => `atobarai_screening_result:${orderId}:${ownerId}`,
  /** One invoice mail per 後払い order (issued once, when it ships). */
  atobaraiInvoice: (orderId: string) => `atobarai_invoice:${orderId}`,
  /** One mail per 後払い order and reminder number, and one per owner when the order goes to collection. */
  atobaraiReminder: (orderId: string, number: number) => `atobarai_reminder:${orderId}:${number}`,
  atobaraiCollection: (orderId: string, ownerId: string) => `atobarai_collection:${orderId}:${ownerId}`,
};
