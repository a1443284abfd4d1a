import { boolean, index, integer, pgTable, text } from "drizzle-orm/pg-core";
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
    createdAt: createdAt(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("subscriptions_merchant_idx").on(t.merchantId, t.id),
    index("subscriptions_status_idx").on(t.merchantId, t.status, t.paidThrough),
    index("subscriptions_customer_idx").on(t.customerId),
    index("subscriptions_payment_method_idx").on(t.paymentMethodId),
  ],
);
