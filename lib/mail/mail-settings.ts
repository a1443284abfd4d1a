import type { MailTemplate } from "@/lib/billing/mail-template";

/**
 * A merchant's wording of one mail: off, or its own subject and body (plain text with %%variables%%). Set per
 * merchant (merchants.mail_settings) and overridden per product (products.mail_settings); what is unset falls back
 * to the merchant's setting, then to Keizoku's default copy in the customer's language.
 */
export type MailOverride = { enabled?: boolean; subject?: string; body?: string };
export type MailSettings = Partial<Record<MailTemplate, MailOverride>>;

/** Why a mail in the outbox was not, or not yet, handed to a provider. */
export type MailStatus = "queued" | "sent" | "failed" | "not_delivered" | "skipped" | "suppressed";
/** What the provider reported after accepting it (Resend's webhooks). */
export type MailDeliveryStatus = "delivered" | "delayed" | "bounced" | "complained";
