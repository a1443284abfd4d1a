import { eq, sql, type SQL } from "drizzle-orm";
import { rowsOf } from "@/db/bulk-write";
import { plans } from "@/db/schema";
import { addLocalDays } from "@/lib/billing/calendar";
import {
  annualNet,
  chargeOf,
  DASHBOARD_STATUSES,
  type DashboardFigures,
  type DashboardStatus,
  type MonthFigures,
  type MonthWindow,
  type MrrPlan,
  monthlyOf,
  monthWindows,
  ratio,
  upToNow,
} from "@/lib/billing/dashboard-metrics";
import type { ServiceContext } from "../context";
import { getMerchantTimeZone } from "./merchant";

/**
 * The console home's figures (lib/billing/dashboard-metrics.ts defines them), computed in the database: each query
 * returns a few hundred aggregate rows whatever the number of contracts, and the figures are put together here with
 * the pure domain's arithmetic. Contracts and invoices of test clocks are left out.
 *
 * Each query reads every row it aggregates (all the merchant's contracts; the year's failed first attempts with
 * their invoices; the next 30 days' pending renewals), so its time grows with the merchant: `npm run bench --
 * dashboard` measured 0.3–3.5 s p95 at 100,000 contracts, far from 100 ms at a million. Meeting that needs rollups
 * kept as billing happens (per merchant, plan and local day: contracts that started and ended bearing MRR, failed
 * and recovered renewals, pending renewals by due day), written as append-only deltas and folded like
 * subscription_counts so that the bill run's lanes never wait on one hot row.
 */
type ReadContext = Pick<ServiceContext, "db" | "merchantId" | "clock">;

/** The instants the months are cut at: each month's start, then the end of the last one cut at now (see upToNow). */
function thresholds(windows: readonly MonthWindow[], now: Date): Date[] {
  return [...windows.map((w) => w.start), upToNow(windows.at(-1)!, now).end];
}

const timestamps = (instants: readonly Date[]): SQL => sql`array[${sql.join(instants.map((t) => sql`${t.toISOString()}::timestamptz`), sql`, `)}]`;

/**
 * When a contract started bearing MRR: the end of its trial, else its sign-up, provided it has paid once (an
 * incomplete contract never did). Null, like a start its end came before (canceled in the trial), when it never bore
 * any.
 */
const STARTED_AT = sql`case when s.last_payment_at is not null and (s.ended_at is null or s.ended_at > coalesce(s.trial_end, s.created_at))
  then coalesce(s.trial_end, s.created_at) end`;

export type ContractFlowRow = { planId: string; status: string; startBucket: number | null; endBucket: number | null; n: number };

/**
 * Contracts by plan, status, and the months (width_bucket over the thresholds: 0 before the first month, 1–12 the
 * months, 13 after now) they started and ended bearing MRR in. One pass over the merchant's contracts.
 */
export async function contractFlows(ctx: ReadContext, cuts: readonly Date[]): Promise<ContractFlowRow[]> {
  const rows = rowsOf<{ plan_id: string; status: string; sb: number | null; eb: number | null; n: number }>(
    await ctx.db.execute(sql`
      select plan_id, status, sb, case when sb is null then null else eb end as eb, count(*)::int as n from (
        select s.plan_id, s.status, width_bucket(${STARTED_AT}, ${timestamps(cuts)}) as sb, width_bucket(s.ended_at, ${timestamps(cuts)}) as eb
        from subscriptions s
        where s.merchant_id = ${ctx.merchantId} and s.test_clock_id is null
      ) c
      group by 1, 2, 3, 4`),
  );
  return rows.map((r) => ({ planId: r.plan_id, status: r.status, startBucket: r.sb, endBucket: r.eb, n: Number(r.n) }));
}

export type RecoveryRow = { bucket: number; failed: number; recovered: number; recoveredAmount: number };

/**
 * Renewal invoices whose first attempt failed, by the month it failed in, and how many of them were paid later and
 * for how much. The first charge after a trial is a "first" invoice, so it is not counted (Stripe's definition).
 */
export async function recoveryByMonth(ctx: ReadContext, cuts: readonly Date[]): Promise<RecoveryRow[]> {
  const rows = rowsOf<{ bucket: number; failed: number; recovered: number; amount: string | number }>(
    await ctx.db.execute(sql`
      select width_bucket(a.attempted_at, ${timestamps(cuts)}) as bucket, count(*)::int as failed,
        count(*) filter (where i.status = 'paid')::int as recovered,
        coalesce(sum(i.total) filter (where i.status = 'paid'), 0)::bigint as amount
      from payment_attempts a
      join invoices i on i.id = a.invoice_id
      join subscriptions s on s.id = i.subscription_id
      where a.merchant_id = ${ctx.merchantId} and a.attempt_number = 1 and a.status = 'failed'
        and a.attempted_at >= ${cuts[0]!.toISOString()}::timestamptz and a.attempted_at < ${cuts.at(-1)!.toISOString()}::timestamptz
        and i.kind = 'renewal' and s.test_clock_id is null
      group by 1`),
  );
  return rows.map((r) => ({ bucket: Number(r.bucket), failed: Number(r.failed), recovered: Number(r.recovered), recoveredAmount: Number(r.amount) }));
}

export type UpcomingRow = { planId: string; within7: number; within30: number };

/** Pending renewals from now to 7 and 30 local days ahead, by the plan they will bill (a pending plan change's new one). */
export async function upcomingRenewalsByPlan(ctx: ReadContext, now: Date, until7: Date, until30: Date): Promise<UpcomingRow[]> {
  const rows = rowsOf<{ plan_id: string; n7: number; n30: number }>(
    await ctx.db.execute(sql`
      select coalesce(s.pending_plan_id, s.plan_id) as plan_id,
        count(*) filter (where a.due_at < ${until7.toISOString()}::timestamptz)::int as n7, count(*)::int as n30
      from scheduled_actions a
      join subscriptions s on s.id = a.subscription_id
      where a.status = 'pending' and a.test_clock_id is null and a.kind = 'renewal' and a.merchant_id = ${ctx.merchantId}
        and a.due_at >= ${now.toISOString()}::timestamptz and a.due_at < ${until30.toISOString()}::timestamptz
      group by 1`),
  );
  return rows.map((r) => ({ planId: r.plan_id, within7: Number(r.n7), within30: Number(r.n30) }));
}

async function merchantPlans(ctx: ReadContext): Promise<Map<string, MrrPlan & { currency: string }>> {
  const rows = await ctx.db
    .select({ id: plans.id, amount: plans.amount, currency: plans.currency, interval: plans.interval, taxBehavior: plans.taxBehavior, taxRate: plans.taxRate })
    .from(plans)
    .where(eq(plans.merchantId, ctx.merchantId));
  return new Map(rows.map(({ id, ...plan }) => [id, plan]));
}

/** Every figure of the console home, at the clock's now, months cut in the merchant's time zone. */
export async function dashboard(ctx: ReadContext, months = 12): Promise<DashboardFigures & { timeZone: string; currency: string }> {
  const now = ctx.clock.now();
  const timeZone = await getMerchantTimeZone(ctx);
  const windows = monthWindows(now, timeZone, months);
  const cuts = thresholds(windows, now);
  const [planById, flows, recovery, upcoming] = await Promise.all([
    merchantPlans(ctx),
    contractFlows(ctx, cuts),
    recoveryByMonth(ctx, cuts),
    upcomingRenewalsByPlan(ctx, now, addLocalDays(now, 7, timeZone), addLocalDays(now, 30, timeZone)),
  ]);
  const annualOf = (planId: string) => annualNet(planById.get(planId)!);
  const after = months + 1;

  const counts = Object.fromEntries(DASHBOARD_STATUSES.map((s) => [s, 0])) as Record<DashboardStatus, number>;
  // Bearing MRR before the first month, and what each month added and took away, in contracts and annual amounts.
  let annual = 0;
  let bearing = 0;
  const added = windows.map(() => ({ annual: 0, n: 0 }));
  const removed = windows.map(() => ({ annual: 0, n: 0 }));
  for (const row of flows) {
    if (row.status in counts) counts[row.status as DashboardStatus] += row.n;
    const sb = row.startBucket;
    if (sb === null || sb === after) continue;
    const eb = row.endBucket ?? after;
    const amount = annualOf(row.planId) * row.n;
    if (sb === 0 && eb >= 1) {
      annual += amount;
      bearing += row.n;
    }
    if (sb >= 1) {
      added[sb - 1]!.annual += amount;
      added[sb - 1]!.n += row.n;
    }
    if (eb >= 1 && eb <= months) {
      removed[eb - 1]!.annual += amount;
      removed[eb - 1]!.n += row.n;
    }
  }
  const recoveryOf = new Map(recovery.map((r) => [r.bucket, r]));
  const figures: MonthFigures[] = windows.map((w, k) => {
    const contractsAtStart = bearing;
    annual += added[k]!.annual - removed[k]!.annual;
    bearing += added[k]!.n - removed[k]!.n;
    const r = recoveryOf.get(k + 1) ?? { failed: 0, recovered: 0, recoveredAmount: 0 };
    return {
      month: w.month,
      mrr: monthlyOf(annual),
      newMrr: monthlyOf(added[k]!.annual),
      churnedMrr: monthlyOf(removed[k]!.annual),
      contractsAtStart,
      churnedContracts: removed[k]!.n,
      churnRate: ratio(removed[k]!.n, contractsAtStart),
      failedRenewals: r.failed,
      recoveredRenewals: r.recovered,
      recoveredAmount: r.recoveredAmount,
      recoveryRate: ratio(r.recovered, r.failed),
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
