import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import type { ActionKind } from "@/lib/billing/scheduled-action";
import type { SubscriptionStatus } from "@/lib/billing/subscription-state";
import { at, createdAt, merchantId, money } from "./columns";
import { plans } from "./catalogue";
import { customers, paymentMethods } from "./customers";
import { merchants, testClocks } from "./merchants";

export const subscriptions = pgTable(
  "subscriptions",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    customerId: text("customer_id").notNull().references(() => customers.id),
    planId: text("plan_id").notNull().references(() => plans.id),
    paymentMethodId: text("payment_method_id").references(() => paymentMethods.id),
    testClockId: text("test_clock_id").references(() => testClocks.id),
    status: text("status").$type<SubscriptionStatus>().notNull(),
    /** Day of month 1–31 or weekday 0–6 that every period boundary is aligned to. */
    billingAnchor: integer("billing_anchor").notNull(),
    trialStart: at("trial_start"),
    trialEnd: at("trial_end"),
    currentPeriodStart: at("current_period_start"),
    /** The paid-through date (有効期限): end of the paid period and the next charge date. */
    paidThrough: at("paid_through"),
    joiningFeePending: boolean("joining_fee_pending").notNull().default(false),
    cancelAtPeriodEnd: boolean("cancel_at_period_end").notNull().default(false),
    cancelReason: text("cancel_reason"),
    canceledAt: at("canceled_at"),
    endedAt: at("ended_at"),
    /** The invoice whose non-payment made the contract past_due/unpaid. */
    overdueInvoiceId: text("overdue_invoice_id"),
    unpaidSince: at("unpaid_since"),
    lastPaymentAt: at("last_payment_at"),
    pausedAt: at("paused_at"),
    /** When a paused contract un-pauses by itself, if ever. */
    resumeAt: at("resume_at"),
    /** A plan change that takes effect at the next renewal. */
    pendingPlanId: text("pending_plan_id").references(() => plans.id),
    /** Credit owed to the customer (a downgrade's unused days), taken off its next invoices; never paid out. */
    creditBalance: money("credit_balance").notNull().default(0),
    /**
     * The contract's earliest pending scheduled action (by due time, then id), kept here so that the console can filter
     * and sort a million contracts by it. Only lib/services/internal/scheduled-actions.ts writes these two columns,
     * in the transaction that changes the schedule.
     */
    nextActionKind: text("next_action_kind").$type<ActionKind>(),
    nextActionAt: at("next_action_at"),
    /**
     * The card on file's expiry month as year × 100 + month (202703), set by a trigger whenever payment_method_id is
     * written (a card's expiry never changes): the console's "card expiring this month / expired" filter.
     */
    cardExpiryMonth: integer("card_expiry_month"),
    createdAt: createdAt(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("subscriptions_merchant_idx").on(t.merchantId, t.id),
    index("subscriptions_customer_idx").on(t.customerId),
    // With the merchant and status, so that counting the contracts of some cards needs no visit to the table.
    index("subscriptions_payment_method_idx").on(t.paymentMethodId, t.merchantId, t.status),
    // The contracts workspace (lib/services/queries/subscription-search.ts) reads a million contracts through these:
    // each sort order has an index ending in the id (the tiebreaker), so that a page, however deep, is a walk along
    // one index; the status (and what else is filtered most) rides along as a key column, so that filtering on it
    // needs no visit to the table. See db/migrations/0005_console_search.sql for the measurements behind them.
    index("subscriptions_status_idx").on(t.merchantId, t.status, t.paidThrough, t.id),
    index("subscriptions_created_idx").on(t.merchantId, t.createdAt, t.id, t.status),
    // A status tab's deep pages. Partial: the active contracts (most of them, renewed every month) are found through
    // subscriptions_created_idx instead, so that a renewal does not pay for this index.
    index("subscriptions_status_created_idx").on(t.merchantId, t.status, t.createdAt, t.id).where(sql`status <> 'active'`),
    index("subscriptions_paid_through_idx").on(t.merchantId, t.paidThrough, t.id, t.status),
    index("subscriptions_next_action_idx").on(t.merchantId, t.nextActionAt, t.id, t.status, t.nextActionKind),
    // Contracts that owe (past due, unpaid): the days-unpaid filter and sort. Partial, so renewals of contracts in
    // good standing never touch it.
    index("subscriptions_overdue_idx").on(t.merchantId, t.paidThrough, t.id, t.status).where(sql`overdue_invoice_id is not null`),
    index("subscriptions_card_expiry_idx").on(t.merchantId, t.cardExpiryMonth, t.status, t.createdAt, t.id),
  ],
);

/**
 * How many contracts a merchant has by status, plan, test clock and whether they owe, so that the contracts
 * workspace's status tabs and totals need not count a million rows. Kept by triggers on subscriptions (every insert,
 * update and delete, whoever writes it): each statement appends its net changes to subscription_count_changes, and
 * whichever transaction gets the merchant's advisory lock folds them into these rows, so that concurrent writers
 * never wait on each other (see the migration 0005_console_search.sql). Read as the sum of both tables.
 */
export const subscriptionCounts = pgTable(
  "subscription_counts",
  {
    merchantId: text("merchant_id").notNull(),
    planId: text("plan_id").notNull(),
    /** The test clock's id, or '' for contracts on real time. */
    testClockId: text("test_clock_id").notNull(),
    status: text("status").$type<SubscriptionStatus>().notNull(),
    overdue: boolean("overdue").notNull(),
    count: bigint("count", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.planId, t.testClockId, t.status, t.overdue] })],
);

/** Net changes to subscription_counts not folded in yet (see there). */
export const subscriptionCountChanges = pgTable(
  "subscription_count_changes",
  {
    merchantId: text("merchant_id").notNull(),
    planId: text("plan_id").notNull(),
    testClockId: text("test_clock_id").notNull(),
    status: text("status").$type<SubscriptionStatus>().notNull(),
    overdue: boolean("overdue").notNull(),
    delta: bigint("delta", { mode: "number" }).notNull(),
  },
  (t) => [index("subscription_count_changes_merchant_idx").on(t.merchantId)],
);
