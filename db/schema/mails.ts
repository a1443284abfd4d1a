import { index, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { MailTemplate } from "@/lib/billing/mail-template";
import { at, createdAt, merchantId } from "./columns";
import { merchants } from "./merchants";

/** The outbox: every mail the engine decides on, sent once per idempotency key. */
export const mails = pgTable(
  "mails",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    customerId: text("customer_id"),
    subscriptionId: text("subscription_id"),
    invoiceId: text("invoice_id"),
    template: text("template").$type<MailTemplate>().notNull(),
    toAddress: text("to_address").notNull(),
    locale: text("locale").$type<"ja" | "en">().notNull().default("ja"),
    subject: text("subject"),
    variables: jsonb("variables").$type<Record<string, string>>().notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    status: text("status").$type<"queued" | "sent" | "failed">().notNull().default("queued"),
    /** When the engine decided on the mail (the test clock's time for clock customers). */
    queuedAt: at("queued_at").notNull(),
    sentAt: at("sent_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("mails_idempotency").on(t.merchantId, t.idempotencyKey),
    index("mails_subscription_idx").on(t.subscriptionId),
    index("mails_merchant_idx").on(t.merchantId, t.id),
  ],
);
