import { boolean, index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import type { BillingInterval, FirstPeriodRule, TaxBehavior, UsageRate } from "@/lib/billing/plan";
import type { MailSettings } from "@/lib/mail/mail-settings";
import { createdAt, merchantId, money } from "./columns";
import { merchants } from "./merchants";

export const products = pgTable(
  "products",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    name: text("name").notNull(),
    description: text("description"),
    /** Per-product mail switches and texts, keyed by template. */
    mailSettings: jsonb("mail_settings").$type<MailSettings>().notNull().default({}),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index("products_merchant_idx").on(t.merchantId, t.id)],
);

export const plans = pgTable(
  "plans",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    productId: text("product_id").notNull().references(() => products.id),
    name: text("name"),
    amount: money("amount").notNull(),
    currency: text("currency").notNull(),
    interval: text("interval").$type<BillingInterval>().notNull(),
    /** Day of month 1–31 (month-based), weekday 0–6 (week-based), or null for the sign-up day. */
    billingDay: integer("billing_day"),
    firstPeriod: text("first_period").$type<FirstPeriodRule>().notNull(),
    trialDays: integer("trial_days"),
    /** A local date (YYYY-MM-DD) in the merchant's time zone. */
    trialUntil: text("trial_until"),
    trialReminderDays: integer("trial_reminder_days"),
    joiningFee: money("joining_fee").notNull().default(0),
    taxBehavior: text("tax_behavior").$type<TaxBehavior>().notNull(),
    taxRate: integer("tax_rate").notNull(),
    retryScheduleDays: jsonb("retry_schedule_days").$type<number[] | null>(),
    usageRates: jsonb("usage_rates").$type<UsageRate[]>().notNull().default([]),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index("plans_merchant_idx").on(t.merchantId, t.id), index("plans_product_idx").on(t.productId)],
);
