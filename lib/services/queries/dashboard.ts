import { eq, sql, type SQL } from "drizzle-orm";
import { rowsOf } from "@/db/bulk-write";
import { plans } from "@/db/schema";
import type { DashboardMeasure } from "@/db/schema";
import {
  annualNet,
  chargeOf,
  dashboardDays,
  DASHBOARD_STATUSES,
  type DashboardFigures,
  type DashboardStatus,
  type MonthFigures,
  type MrrPlan,
  monthlyOf,
  monthWindows,
  ratio,
} from "@/lib/billing/dashboard-metrics";
import type { ServiceContext } from "../context";
import { getMerchantTimeZone } from "./merchant";

/**
 * The console home's figures (lib/billing/dashboard-metrics.ts defines them), read from the rollups the database keeps
 * as billing happens (db/schema/dashboard.ts, migration 0016): a few rows per plan and local day, so the time does not
 * grow with the number of contracts (`npm run bench -- dashboard`). The figures are put together here with the pure
 * domain's arithmetic. Contracts and invoices of test clocks are left out.
 */
type ReadContext = Pick<ServiceContext, "db" | "merchantId" | "clock">;

const dates = (days: readonly string[]): SQL => sql`array[${sql.join(days.map((d) => sql`${d}::date`), sql`, `)}]`;

/** The merchant's rollups, folded or not yet (one snapshot). */
const kept = (merchantId: string, measures: readonly DashboardMeasure[]) => sql`(
  select measure, plan_id, day, n, amount from dashboard_rollups where merchant_id = ${merchantId} and measure in (${sql.join(measures.map((m) => sql`${m}`), sql`, `)})
  union all
  select measure, plan_id, day, n, amount from dashboard_rollup_changes where merchant_id = ${merchantId} and measure in (${sql.join(measures.map((m) => sql`${m}`), sql`, `)})
)`;

export type DayBucketRow = { measure: DashboardMeasure; planId: string; bucket: number; n: number; amount: number };

/**
 * Contracts that started and ended bearing MRR (by plan), renewals whose first attempt failed and those of them paid
 * since, by bucket of local days (width_bucket over the cuts: 0 before the first month, 1–12 the months, 13 after
 * today).
 */
export async function monthBuckets(ctx: ReadContext, cuts: readonly string[]): Promise<DayBucketRow[]> {
  const rows = rowsOf<{ measure: DashboardMeasure; plan_id: string; bucket: number; n: string; amount: string }>(
    await ctx.db.execute(sql`
      select measure, plan_id, width_bucket(day, ${dates(cuts)}) as bucket, sum(n)::text as n, sum(amount)::text as amount
      from ${kept(ctx.merchantId, ["started", "ended", "failed_renewal", "recovered_renewal"])} k
      group by 1, 2, 3`),
  );
  return rows.map((r) => ({ measure: r.measure, planId: r.plan_id, bucket: Number(r.bucket), n: Number(r.n), amount: Number(r.amount) }));
}

export type UpcomingRow = { planId: string; within7: number; within30: number };

/** Renewals not run yet due before the two local days (exclusive), by the plan they will bill. */
export async function upcomingRenewalsByPlan(ctx: ReadContext, until7: string, until30: string): Promise<UpcomingRow[]> {
  const rows = rowsOf<{ plan_id: string; n7: string; n30: string }>(
    await ctx.db.execute(sql`
      select plan_id, coalesce(sum(n) filter (where day < ${until7}::date), 0)::text as n7, sum(n)::text as n30
      from ${kept(ctx.merchantId, ["renewal_due"])} k
      where day < ${until30}::date
      group by 1`),
  );
  return rows.map((r) => ({ planId: r.plan_id, within7: Number(r.n7), within30: Number(r.n30) }));
}

/** Contracts on real time by status, from subscription_counts (kept by triggers, see db/schema/subscriptions.ts). */
export async function liveCountsByStatus(ctx: ReadContext): Promise<Map<string, number>> {
  const rows = rowsOf<{ status: string; n: string }>(
    await ctx.db.execute(sql`
      select status, sum(n)::text as n from (
        select status, count as n from subscription_counts where merchant_id = ${ctx.merchantId} and test_clock_id = ''
        union all
        select status, delta from subscription_count_changes where merchant_id = ${ctx.merchantId} and test_clock_id = ''
      ) k group by 1`),
  );
  return new Map(rows.map((r) => [r.status, Number(r.n)]));
}

async function merchantPlans(ctx: ReadContext): Promise<Map<string, MrrPlan & { currency: string }>> {
  const rows = await ctx.db
    .select({ id: plans.id, amount: plans.amount, currency: plans.currency, interval: plans.interval, taxBehavior: plans.taxBehavior, taxRate: plans.taxRate })
    .from(plans)
    .where(eq(plans.merchantId, ctx.merchantId));
  return new Map(rows.map(({ id, ...plan }) => [id, plan]));
}

/** Every figure of the console home, at the clock's now, by local day in the merchant's time zone. */
export async function dashboard(ctx: ReadContext, months = 12): Promise<DashboardFigures & { timeZone: string; currency: string }> {
  const now = ctx.clock.now();
  const timeZone = await getMerchantTimeZone(ctx);
  const windows = monthWindows(now, timeZone, months);
  const days = dashboardDays(now, timeZone, months);
  const [planById, buckets, upcoming, statusCounts] = await Promise.all([
    merchantPlans(ctx),
    monthBuckets(ctx, days.monthCuts),
    upcomingRenewalsByPlan(ctx, days.upcoming7Before, days.upcoming30Before),
    liveCountsByStatus(ctx),
  ]);
  const annualOf = (planId: string) => annualNet(planById.get(planId)!);

  const counts = Object.fromEntries(DASHBOARD_STATUSES.map((s) => [s, statusCounts.get(s) ?? 0])) as Record<DashboardStatus, number>;
  // Bearing MRR before the first month, and what each month added and took away, in contracts and annual amounts.
  let annual = 0;
  let bearing = 0;
  const added = windows.map(() => ({ annual: 0, n: 0 }));
  const removed = windows.map(() => ({ annual: 0, n: 0 }));
  const failed = windows.map(() => ({ n: 0, recovered: 0, amount: 0 }));
  for (const row of buckets) {
    const k = row.bucket - 1;
    if (row.measure === "failed_renewal" || row.measure === "recovered_renewal") {
      if (k < 0 || k >= months) continue;
      if (row.measure === "failed_renewal") failed[k]!.n += row.n;
      else {
        failed[k]!.recovered += row.n;
        failed[k]!.amount += row.amount;
      }
      continue;
    }
    if (row.bucket > months) continue; // after today: a trial that ends on a later day
    const amount = annualOf(row.planId) * row.n;
    const sign = row.measure === "started" ? 1 : -1;
    if (k < 0) {
      annual += sign * amount;
      bearing += sign * row.n;
    } else {
      const into = row.measure === "started" ? added : removed;
      into[k]!.annual += amount;
      into[k]!.n += row.n;
    }
  }
  const figures: MonthFigures[] = windows.map((w, k) => {
    const contractsAtStart = bearing;
    annual += added[k]!.annual - removed[k]!.annual;
    bearing += added[k]!.n - removed[k]!.n;
    const r = failed[k]!;
    return {
      month: w.month,
      mrr: monthlyOf(annual),
      newMrr: monthlyOf(added[k]!.annual),
      churnedMrr: monthlyOf(removed[k]!.annual),
      contractsAtStart,
      churnedContracts: removed[k]!.n,
      churnRate: ratio(removed[k]!.n, contractsAtStart),
      failedRenewals: r.n,
      recoveredRenewals: r.recovered,
      recoveredAmount: r.amount,
      recoveryRate: ratio(r.recovered, r.n),
    };
  });
  const upcomingOf = (pick: (r: UpcomingRow) => number) =>
    upcoming.reduce((sum, r) => ({ count: sum.count + pick(r), amount: sum.amount + pick(r) * chargeOf(planById.get(r.planId)!) }), { count: 0, amount: 0 });
  return {
    mrr: figures.at(-1)?.mrr ?? 0,
    counts,
    months: figures,
    upcoming7: upcomingOf((r) => r.within7),
    upcoming30: upcomingOf((r) => r.within30),
    timeZone,
    // Plans are in one currency in practice (yen); the figures are shown in the first plan's.
    currency: planById.values().next().value?.currency ?? "jpy",
  };
}
