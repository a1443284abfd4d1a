import { sql } from "drizzle-orm";
import { date, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { AtobaraiSettings, SettlementCycle } from "@/lib/billing/atobarai/settings";
import type { AtobaraiOrderStatus, AtobaraiRefundMethod } from "@/lib/billing/atobarai/order-state";
import type { ScreeningReason, ScreeningResult } from "@/lib/billing/atobarai/screening";
import { at, createdAt, merchantId, money } from "./columns";
import { invoices } from "./invoices";
import { merchants, testClocks } from "./merchants";

/**
 * 後払い (pay after delivery), seed 003: orders of buyers who pay an invoice at a konbini, bank or post office after
 * the goods arrive; screened (与信), shipped with a tracking number (which issues the invoice), paid or reminded and
 * handed to collection; the merchant is paid in advance on a weekly or monthly close (立替払い).
 */

/** A merchant's 後払い terms (lib/billing/atobarai/settings.ts); a merchant without a row has not turned 後払い on. */
export const atobaraiAccounts = pgTable("atobarai_accounts", {
  merchantId: text("merchant_id")
    .primaryKey()
    .references(() => merchants.id),
  settings: jsonb("settings").$type<AtobaraiSettings>().notNull(),
  /** The local date from which `settings.nextSettlementCycle` replaces the cycle (the day after the current close). */
  nextCycleFrom: date("next_cycle_from", { mode: "string" }),
  updatedAt: at("updated_at").notNull().defaultNow(),
});

export type { AtobaraiOrderStatus, AtobaraiRefundMethod };

export type AtobaraiItem = { name: string; quantity: number; unitPrice: number };
export type AtobaraiAddress = { name: string; kana: string | null; phone: string | null; postalCode: string; address: string };

export const atobaraiOrders = pgTable(
  "atobarai_orders",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    /** The merchant's own order number: one order per number. */
    orderRef: text("order_ref").notNull(),
    status: text("status").$type<AtobaraiOrderStatus>().notNull().default("registered"),
    buyerName: text("buyer_name").notNull(),
    buyerKana: text("buyer_kana").notNull(),
    buyerEmail: text("buyer_email").notNull(),
    buyerPhone: text("buyer_phone").notNull(),
    /** 7 digits (lib/address/postal-code.ts). */
    postalCode: text("postal_code").notNull(),
    address: text("address").notNull(),
    /** Where the goods go, when not to the buyer's address. */
    shipping: jsonb("shipping").$type<AtobaraiAddress>(),
    items: jsonb("items").$type<AtobaraiItem[]>().notNull(),
    /** Yen, tax included: what the buyer pays (the items' total, shipping and fees the merchant listed as items). */
    amount: money("amount").notNull(),
    currency: text("currency").notNull().default("JPY"),
    /** The buyer, normalised (lib/billing/atobarai/buyer-identity.ts): screening finds the same buyer by any of them. */
    buyerPhoneKey: text("buyer_phone_key"),
    buyerEmailKey: text("buyer_email_key"),
    buyerAddressKey: text("buyer_address_key"),
    /** How it was registered: console, csv, api. */
    source: text("source").$type<"console" | "csv" | "api">().notNull(),
    screeningResult: text("screening_result").$type<ScreeningResult>(),
    screeningReasons: jsonb("screening_reasons").$type<ScreeningReason[]>(),
    screenedAt: at("screened_at"),
    /** A 保留 order's decision by staff (who, why). */
    reviewedBy: text("reviewed_by"),
    reviewNote: text("review_note"),
    trackingNumber: text("tracking_number"),
    carrier: text("carrier"),
    /** The invoice: mailed to the buyer, or enclosed in the parcel (同梱). */
    invoiceDelivery: text("invoice_delivery").$type<"mail" | "enclosed">(),
    invoiceIssuedAt: at("invoice_issued_at"),
    /** Local date in the merchant's time zone. */
    dueOn: date("due_on", { mode: "string" }),
    /** What the buyer quotes at a konbini (払込票番号) and for a bank transfer (振込依頼人番号): unique per merchant. */
    paymentNumber: text("payment_number"),
    bankReference: text("bank_reference"),
    amountPaid: money("amount_paid").notNull().default(0),
    /** What staff paid back to the buyer (atobarai_refunds): what the buyer paid beyond what is due, or all of it after a return. */
    amountRefunded: money("amount_refunded").notNull().default(0),
    paidAt: at("paid_at"),
    /** The last reminder sent (0: none), and when the order went to collection. */
    remindersSent: integer("reminders_sent").notNull().default(0),
    collectionAt: at("collection_at"),
    canceledAt: at("canceled_at"),
    returnedAt: at("returned_at"),
    /** The statement that paid the merchant for it, and the one that took it back after a return. */
    statementId: text("statement_id"),
    reversalStatementId: text("reversal_statement_id"),
    /** A recurring contract's overdue invoice this order collects instead of the card (a card's fallback). */
    fallbackForInvoiceId: text("fallback_for_invoice_id").references(() => invoices.id),
    /** A sandbox order living on a test clock: its times are the clock's, and only advancing the clock moves it on. */
    testClockId: text("test_clock_id").references(() => testClocks.id),
    createdAt: createdAt(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("atobarai_orders_ref").on(t.merchantId, t.orderRef),
    uniqueIndex("atobarai_orders_payment_number").on(t.merchantId, t.paymentNumber),
    uniqueIndex("atobarai_orders_bank_reference").on(t.merchantId, t.bankReference),
    index("atobarai_orders_merchant_idx").on(t.merchantId, t.id),
    index("atobarai_orders_status_idx").on(t.merchantId, t.status, t.id),
    index("atobarai_orders_phone_idx").on(t.merchantId, t.buyerPhoneKey),
    index("atobarai_orders_email_idx").on(t.merchantId, t.buyerEmailKey),
    index("atobarai_orders_address_idx").on(t.merchantId, t.buyerAddressKey),
    // The screening worker's queue, and the reminder worker's.
    index("atobarai_orders_to_screen_idx").on(t.createdAt).where(sql`status = 'registered'`),
    index("atobarai_orders_unpaid_idx").on(t.dueOn).where(sql`status = 'shipped'`),
  ],
);

export type AtobaraiPaymentChannel = "konbini" | "bank" | "post_office" | "sandbox" | "api";

/**
 * Money a buyer paid on an order, from a payment notice (収納データ): recorded once per notice id, however often the
 * same file is imported. An amount that is not the balance is kept as it is: the order shows what is left, or what
 * is owed back.
 */
export const atobaraiPayments = pgTable(
  "atobarai_payments",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    orderId: text("order_id")
      .notNull()
      .references(() => atobaraiOrders.id),
    noticeId: text("notice_id").notNull(),
    channel: text("channel").$type<AtobaraiPaymentChannel>().notNull(),
    amount: money("amount").notNull(),
    paidAt: at("paid_at").notNull(),
    /** The import that brought it (null: the API or the sandbox helper). */
    importId: text("import_id"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("atobarai_payments_notice").on(t.merchantId, t.noticeId), index("atobarai_payments_order_idx").on(t.orderId)],
);

/**
 * Money the merchant's staff paid back to a buyer (返金): a bank transfer, cash or otherwise, never more than the order
 * owed back (order-state.ts: refundOwed). `requestKey` makes recording it safe to repeat (the console dialog's id, the
 * API's Idempotency-Key).
 */
export const atobaraiRefunds = pgTable(
  "atobarai_refunds",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    orderId: text("order_id")
      .notNull()
      .references(() => atobaraiOrders.id),
    amount: money("amount").notNull(),
    method: text("method").$type<AtobaraiRefundMethod>().notNull(),
    /** The transfer's reference, or how it was paid back. */
    note: text("note"),
    /** When the buyer was paid back. */
    refundedAt: at("refunded_at").notNull(),
    /** Who recorded it: staff:<id>, api_key:<id> (as on the timeline). */
    recordedBy: text("recorded_by").notNull(),
    requestKey: text("request_key"),
    createdAt: createdAt(),
  },
  (t) => [index("atobarai_refunds_order_idx").on(t.orderId), uniqueIndex("atobarai_refunds_request_key").on(t.merchantId, t.requestKey)],
);

/** Something that happened to an order, for its timeline (screened, reviewed, shipped, mailed, paid, reminded …). */
export const atobaraiOrderEvents = pgTable(
  "atobarai_order_events",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    orderId: text("order_id")
      .notNull()
      .references(() => atobaraiOrders.id),
    kind: text("kind").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    actor: text("actor"),
    at: at("at").notNull(),
  },
  (t) => [index("atobarai_order_events_order_idx").on(t.orderId, t.at)],
);

export type AtobaraiStatementLineKind = "sale" | "fee" | "reversal";

/** One close of the merchant's settlement (立替払い): what is paid for the period, and what earlier periods took back. */
export const atobaraiStatements = pgTable(
  "atobarai_statements",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    cycle: jsonb("cycle").$type<SettlementCycle>().notNull(),
    periodStart: date("period_start", { mode: "string" }).notNull(),
    periodEnd: date("period_end", { mode: "string" }).notNull(),
    sales: money("sales").notNull(),
    fees: money("fees").notNull(),
    reversals: money("reversals").notNull(),
    /** sales − fees − reversals: what the merchant is paid (negative: what it owes back). */
    net: money("net").notNull(),
    orderCount: integer("order_count").notNull(),
    closedAt: at("closed_at").notNull(),
    /** The test clock whose orders it settles: a test clock's orders are never on a live statement, nor live ones on its. */
    testClockId: text("test_clock_id").references(() => testClocks.id),
  },
  (t) => [
    uniqueIndex("atobarai_statements_period").on(t.merchantId, t.periodEnd).where(sql`test_clock_id is null`),
    uniqueIndex("atobarai_statements_clock_period").on(t.merchantId, t.testClockId, t.periodEnd).where(sql`test_clock_id is not null`),
    index("atobarai_statements_merchant_idx").on(t.merchantId, t.periodEnd),
  ],
);

export const atobaraiStatementLines = pgTable(
  "atobarai_statement_lines",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    statementId: text("statement_id")
      .notNull()
      .references(() => atobaraiStatements.id),
    orderId: text("order_id")
      .notNull()
      .references(() => atobaraiOrders.id),
    kind: text("kind").$type<AtobaraiStatementLineKind>().notNull(),
    /** Signed yen: a sale is positive, a fee or a reversal negative. */
    amount: money("amount").notNull(),
    description: text("description").notNull(),
  },
  (t) => [index("atobarai_statement_lines_statement_idx").on(t.statementId), index("atobarai_statement_lines_order_idx").on(t.orderId)],
);

/** One imported payment-notice file: how many rows were recorded, already known, or refused (with the rows' errors). */
export const atobaraiPaymentImports = pgTable("atobarai_payment_imports", {
  id: text("id").primaryKey(),
  merchantId: merchantId().references(() => merchants.id),
  fileName: text("file_name").notNull(),
  encoding: text("encoding").$type<"utf-8" | "shift_jis">().notNull(),
  recorded: integer("recorded").notNull(),
  duplicates: integer("duplicates").notNull(),
  refused: integer("refused").notNull(),
  errors: jsonb("errors").$type<{ row: number; message: string; code?: string; value?: string }[]>().notNull().default([]),
  staffUserId: text("staff_user_id"),
  createdAt: createdAt(),
});

