import { bigint, date, index, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

/**
 * What a dashboard measures, by merchant and local day (in the merchant's time zone), so that the console home reads
 * a few hundred rows however many contracts there are (lib/services/queries/dashboard.ts). Kept by triggers on
 * subscriptions, scheduled_actions, invoices and payment_attempts, whoever writes them (migration
 * 0016_dashboard_rollups.sql): each statement appends its net changes to dashboard_rollup_changes, and whichever
 * transaction gets the merchant's advisory lock folds them in, as subscription_counts does. Read as the sum of both.
 *
 * - started / ended: contracts that started and stopped bearing MRR, by plan (n);
 * - failed_renewal: renewal invoices whose first attempt failed, by the day it failed (n);
 * - recovered_renewal: of those, the ones paid since (n, amount = their totals);
 * - renewal_due: pending renewals by the plan they will bill and the day they are due (n).
 * Test clocks' contracts are left out. A merchant's rows are rebuilt when its time zone changes.
 */
export const DASHBOARD_MEASURES = ["started", "ended", "failed_renewal", "recovered_renewal", "renewal_due"] as const;
export type DashboardMeasure = (typeof DASHBOARD_MEASURES)[number];

export const dashboardRollups = pgTable(
  "dashboard_rollups",
  {
    merchantId: text("merchant_id").notNull(),
    measure: text("measure").$type<DashboardMeasure>().notNull(),
    /** The plan, or '' for measures not kept by plan. */
    planId: text("plan_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
    amount: bigint("amount", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.measure, t.planId, t.day] })],
);

/** Net changes to dashboard_rollups not folded in yet (see there). */
export const dashboardRollupChanges = pgTable(
  "dashboard_rollup_changes",
  {
    merchantId: text("merchant_id").notNull(),
    measure: text("measure").$type<DashboardMeasure>().notNull(),
    planId: text("plan_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
    amount: bigint("amount", { mode: "number" }).notNull(),
  },
  (t) => [index("dashboard_rollup_changes_merchant_idx").on(t.merchantId)],
);
