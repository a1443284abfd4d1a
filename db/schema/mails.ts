import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { MailTemplate } from "@/lib/billing/mail-template";
import type { MailAttachmentRef } from "@/lib/mail/attachments";
import type { MailLinkSubjects } from "@/lib/mail/links";
import type { MailDeliveryStatus, MailStatus } from "@/lib/mail/mail-settings";
import { at, createdAt, merchantId } from "./columns";
import { merchants } from "./merchants";

/**
 * The outbox: every mail the engine decides on, once per idempotency key. A row is rendered once, when it is
 * first sent (subject, html, text_body: what the customer got, and what the console shows), then handed to the
 * provider; `attempts`, `next_attempt_at` and `lease_until` are the delivery worker's.
 */
export const mails = pgTable(
  "mails",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    customerId: text("customer_id"),
    subscriptionId: text("subscription_id"),
    invoiceId: text("invoice_id"),
    /** The contract's product when the mail was decided: its mail settings override the merchant's. */
    productId: text("product_id"),
    /** Set for mails of customers on a test clock: delivered like any other, marked as test data. */
    testClockId: text("test_clock_id"),
    template: text("template").$type<MailTemplate>().notNull(),
    toAddress: text("to_address").notNull(),
    locale: text("locale").$type<"ja" | "en">().notNull().default("ja"),
    /** The rendered subject (null until rendered). */
    subject: text("subject"),
    html: text("html"),
    textBody: text("text_body"),
    fromHeader: text("from_header"),
    replyTo: text("reply_to"),
    renderedAt: at("rendered_at"),
    /** The %%variables%%; the signed links among them are added when the mail is sent (see `links`). */
    variables: jsonb("variables").$type<Record<string, string>>().notNull(),
    /**
     * The signed links the mail carries, as what identifies each (purpose → the contract or invoice id). The worker
     * signs them when it sends the mail, so a link is valid for KEIZOKU_LINK_TTL_DAYS from then, and a resend gets
     * fresh ones.
     */
    links: jsonb("links").$type<MailLinkSubjects>().notNull().default({}),
    /**
     * The files it carries, by reference (a 後払い invoice: the order), rendered by the worker when it sends the mail
     * (lib/mail/attachments.ts): the outbox holds no file's bytes.
     */
    attachments: jsonb("attachments").$type<MailAttachmentRef[]>().notNull().default([]),
    idempotencyKey: text("idempotency_key").notNull(),
    status: text("status").$type<MailStatus>().notNull().default("queued"),
    /** Why it is skipped, suppressed, failed or not delivered (a code: disabled_for_product, no_mail_provider, …). */
    statusReason: text("status_reason"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: at("next_attempt_at"),
    leaseUntil: at("lease_until"),
    lastError: text("last_error"),
    providerMessageId: text("provider_message_id"),
    /**
     * The provider request this row was first handed over in (set before the request, kept until the outcome is
     * recorded): after a crash the same rows go again as one request with the same idempotency key.
     */
    batchKey: text("batch_key"),
    deliveryStatus: text("delivery_status").$type<MailDeliveryStatus>(),
    deliveryStatusAt: at("delivery_status_at"),
    /** A staff member's "send again" of another mail: the same content, a new row and key. */
    resendOf: text("resend_of"),
    /** When the engine decided on the mail (the test clock's time for clock customers). */
    queuedAt: at("queued_at").notNull(),
    sentAt: at("sent_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("mails_idempotency").on(t.merchantId, t.idempotencyKey),
    index("mails_subscription_idx").on(t.subscriptionId),
    index("mails_merchant_idx").on(t.merchantId, t.id),
    index("mails_provider_idx").on(t.providerMessageId).where(sql`provider_message_id is not null`),
    // The delivery worker's queue.
    index("mails_queue_idx").on(t.nextAttemptAt).where(sql`status = 'queued'`),
    // A batch handed over and not yet finished comes back whole (the worker's claim).
    index("mails_batch_idx").on(t.batchKey).where(sql`status = 'queued' and batch_key is not null`),
  ],
);

/** What happened to a mail after it was queued: attempts, the provider's answers and its webhooks, staff actions. */
export const mailEvents = pgTable(
  "mail_events",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    mailId: text("mail_id").notNull(),
    /** sent, attempt_failed, failed, delivered, delayed, bounced, complained, resent, suppressed, … */
    kind: text("kind").notNull(),
    /** The provider's event id (svix-id for Resend's webhooks): each is recorded once. */
    providerEventId: text("provider_event_id"),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
    at: at("at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("mail_events_mail_idx").on(t.mailId, t.at), uniqueIndex("mail_events_provider_key").on(t.providerEventId)],
);

/** Addresses a merchant's mails no longer go to (a hard bounce, a complaint, or staff); staff may remove them. */
export const mailSuppressions = pgTable(
  "mail_suppressions",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    /** Lower-cased. */
    address: text("address").notNull(),
    reason: text("reason").$type<"bounced" | "complained" | "manual">().notNull(),
    sourceMailId: text("source_mail_id"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("mail_suppressions_address").on(t.merchantId, t.address)],
);
