import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { InvoiceKind, InvoiceLineKind } from "@/lib/billing/invoice";
import { plans } from "./catalogue";
import { at, createdAt, merchantId, money } from "./columns";
import { customers, paymentMethods } from "./customers";
import { merchants } from "./merchants";
import { subscriptions } from "./subscriptions";

export type InvoiceStatus = "draft" | "open" | "paid" | "uncollectible" | "void";
export type { InvoiceKind };

export const invoices = pgTable(
  "invoices",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    subscriptionId: text("subscription_id").notNull().references(() => subscriptions.id),
    customerId: text("customer_id").notNull().references(() => customers.id),
    /** The plan it bills (a plan change's new plan); null for charges that bill no plan. */
    planId: text("plan_id").references(() => plans.id),
    kind: text("kind").$type<InvoiceKind>().notNull(),
    status: text("status").$type<InvoiceStatus>().notNull(),
    currency: text("currency").notNull(),
    subtotal: money("subtotal").notNull(),
    tax: money("tax").notNull(),
    total: money("total").notNull(),
    periodStart: at("period_start"),
    periodEnd: at("period_end"),
    description: text("description"),
    extendPaidThrough: boolean("extend_paid_through").notNull().default(false),
    sendMail: boolean("send_mail").notNull().default(true),
    /** One invoice per billable event (e.g. renewal of one period): a unique key makes creating it idempotent. */
    billingKey: text("billing_key").notNull(),
    attemptCount: integer("attempt_count").notNull().default(0),
    /** Customer credit taken off this invoice; given back to the contract if the invoice is never paid. */
    creditApplied: money("credit_applied").notNull().default(0),
    /** What was refunded of the paid total, in minor units. */
    amountRefunded: money("amount_refunded").notNull().default(0),
    paidAt: at("paid_at"),
    /** When a chargeback was first opened against its charge (disputes holds each one). */
    disputedAt: at("disputed_at"),
    createdAt: createdAt(),
    issuedAt: at("issued_at").notNull(),
  },
  (t) => [
    uniqueIndex("invoices_billing_key").on(t.merchantId, t.billingKey),
    index("invoices_subscription_idx").on(t.subscriptionId, t.issuedAt),
    index("invoices_merchant_idx").on(t.merchantId, t.id),
  ],
);

export const invoiceLines = pgTable(
  "invoice_lines",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    invoiceId: text("invoice_id").notNull().references(() => invoices.id),
    position: integer("position").notNull(),
    kind: text("kind").$type<InvoiceLineKind>().notNull(),
    description: text("description").notNull(),
    amount: money("amount").notNull(),
    quantity: integer("quantity").notNull().default(1),
    periodStart: at("period_start"),
    periodEnd: at("period_end"),
  },
  (t) => [uniqueIndex("invoice_lines_position").on(t.invoiceId, t.position)],
);

export type AttemptStatus = "pending" | "succeeded" | "failed" | "unknown";

/** One try to collect an invoice. Its idempotency key goes to the gateway, so one attempt charges at most once. */
export const paymentAttempts = pgTable(
  "payment_attempts",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    invoiceId: text("invoice_id").notNull().references(() => invoices.id),
    attemptNumber: integer("attempt_number").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    paymentMethodId: text("payment_method_id").references(() => paymentMethods.id),
    amount: money("amount").notNull(),
    currency: text("currency").notNull(),
    status: text("status").$type<AttemptStatus>().notNull(),
    failureCode: text("failure_code"),
    gatewayChargeId: text("gateway_charge_id"),
    trigger: text("trigger").$type<"scheduled" | "manual" | "card_update" | "checkout" | "additional" | "resume" | "plan_change" | "authentication">().notNull(),
    /** The scheduled action that started this attempt, if any. */
    actionId: text("action_id"),
    attemptedAt: at("attempted_at").notNull(),
    completedAt: at("completed_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("payment_attempts_number").on(t.invoiceId, t.attemptNumber),
    uniqueIndex("payment_attempts_idempotency").on(t.idempotencyKey),
    index("payment_attempts_action_idx").on(t.actionId),
    // At most one attempt of an invoice is in flight: a crashed attempt is replayed with its own key.
    uniqueIndex("payment_attempts_one_pending").on(t.invoiceId).where(sql`status = 'pending'`),
    // The dashboard's recovery rate: renewals whose first attempt failed, by month (lib/services/queries/dashboard.ts).
    index("payment_attempts_first_failed_idx").on(t.merchantId, t.attemptedAt, t.invoiceId).where(sql`attempt_number = 1 and status = 'failed'`),
  ],
);

export const usageRecords = pgTable(
  "usage_records",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    subscriptionId: text("subscription_id").notNull().references(() => subscriptions.id),
    metric: text("metric").notNull(),
    quantity: integer("quantity").notNull(),
    recordedAt: at("recorded_at").notNull(),
    idempotencyKey: text("idempotency_key"),
    invoiceId: text("invoice_id").references(() => invoices.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("usage_records_idempotency").on(t.merchantId, t.idempotencyKey),
    index("usage_records_unbilled_idx").on(t.subscriptionId, t.invoiceId),
  ],
);

export type RefundStatus = "pending" | "succeeded" | "failed";

/**
 * Money given back on a paid invoice, in full or in part. Its id is the gateway's idempotency key, so a refund whose
 * answer was lost is replayed, never repeated; pending and succeeded refunds count against what is left to refund.
 */
export const refunds = pgTable(
  "refunds",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    invoiceId: text("invoice_id").notNull().references(() => invoices.id),
    subscriptionId: text("subscription_id").notNull().references(() => subscriptions.id),
    amount: money("amount").notNull(),
    currency: text("currency").notNull(),
    reason: text("reason"),
    status: text("status").$type<RefundStatus>().notNull(),
    gatewayRefundId: text("gateway_refund_id"),
    failureCode: text("failure_code"),
    /** The caller's key (the API's Idempotency-Key): the same request finds the same refund. */
    requestKey: text("request_key"),
    createdAt: at("created_at").notNull(),
    completedAt: at("completed_at"),
  },
  (t) => [index("refunds_invoice_idx").on(t.invoiceId), uniqueIndex("refunds_request_key").on(t.merchantId, t.requestKey)],
);
