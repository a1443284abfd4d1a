import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { rowsOf } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { DEFAULT_TIME_ZONE } from "@/lib/billing/calendar";
import { dashboardDays } from "@/lib/billing/dashboard-metrics";
import { systemClock } from "@/lib/services/context";
import { dashboard, liveCountsByStatus, monthBuckets, upcomingRenewalsByPlan } from "@/lib/services/queries/dashboard";
import { seedConsoleContracts } from "./console-seed";
import { openBenchDatabase } from "./database";
import { positiveIntOption } from "./args";

/**
 * `npm run bench -- dashboard`: the console home's queries (lib/services/queries/dashboard.ts) on one merchant with N
 * contracts (seedConsoleContracts: every status, created over five years, ended ones spread over the last year) and a
 * year of renewal history: each contract's monthly renewals in the last twelve months as invoices with their payment
 * attempts, 6 % of them failing at the first attempt, two in three of those paid at the second.
 */
const USAGE = `Usage: npm run bench -- dashboard [--count N] [--runs N]
  --count N      contracts to seed (default 1000000)
  --runs N       timed runs of each query after 3 untimed ones (default 30)`;

const round = (n: number) => Math.round(n * 100) / 100;
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

function readSettings(argv: string[]): { count: number; runs: number; url: string | undefined } {
  const { values } = parseArgs({ args: argv, strict: true, options: { count: { type: "string" }, runs: { type: "string" }, help: { type: "boolean", short: "h", default: false } } });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = positiveIntOption(USAGE);
  return { count: int("count", values.count, 1_000_000), runs: int("runs", values.runs, 30), url: process.env.DATABASE_URL || undefined };
}

/**
 * The last twelve months of renewals of every contract that was billing then, in chunks of contracts (by id) so that
 * each transaction stays small: renewal k fell k months before the contract's paid-through date.
 */
async function seedRenewalHistory(db: Db, merchantId: string, now: Date, chunk: number, onProgress: (done: number) => void): Promise<number> {
  const [{ n }] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from subscriptions where merchant_id = ${merchantId}`)) as [{ n: number }];
  let after = "";
  let done = 0;
  let invoices = 0;
  while (done < n) {
    const ids = rowsOf<{ id: string }>(await db.execute(sql`select id from subscriptions where merchant_id = ${merchantId} and id > ${after} order by id limit ${chunk}`));
    if (ids.length === 0) break;
    const last = ids.at(-1)!.id;
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local jit = off`);
      await tx.execute(sql`drop table if exists dashboard_seed`);
      await tx.execute(sql`
        create temporary table dashboard_seed on commit drop as
        select s.id as sub_id, s.customer_id, s.plan_id, p.amount, k,
          'in_h' || substr(s.id, 5) || lpad(k::text, 2, '0') as invoice_id,
          s.paid_through - make_interval(months => k) as due_at,
          ('x' || substr(md5(s.id || k), 1, 8))::bit(32)::bigint::float8 / 4294967296 as r
        from subscriptions s join plans p on p.id = s.plan_id, generate_series(1, 12) k
        where s.merchant_id = ${merchantId} and s.id > ${after} and s.id <= ${last}
          and s.status not in ('incomplete', 'trialing') and s.paid_through is not null
          and s.paid_through - make_interval(months => k) >= greatest(s.created_at, ${now.toISOString()}::timestamptz - interval '1 year')
          and s.paid_through - make_interval(months => k) < least(coalesce(s.ended_at, 'infinity'), ${now.toISOString()}::timestamptz)`);
      const [{ rows }] = rowsOf<{ rows: number }>(
        await tx.execute(sql`
          with inserted as (
            insert into invoices (id, merchant_id, subscription_id, customer_id, plan_id, kind, status, currency, subtotal, tax, total, period_start, period_end,
              billing_key, attempt_count, paid_at, created_at, issued_at)
            select invoice_id, ${merchantId}, sub_id, customer_id, plan_id, 'renewal',
              case when r < 0.04 or r >= 0.06 then 'paid' else 'uncollectible' end, 'jpy', amount - amount * 10 / 110, amount * 10 / 110, amount,
              due_at, due_at + interval '1 month', 'history:' || sub_id || ':' || k,
              case when r < 0.06 then 2 else 1 end,
              case when r < 0.04 then due_at + interval '7 days' when r >= 0.06 then due_at end, due_at, due_at
            from dashboard_seed
            returning 1)
          select count(*)::int as rows from inserted`),
      ) as [{ rows: number }];
      invoices += rows;
      await tx.execute(sql`
        insert into payment_attempts (id, merchant_id, invoice_id, attempt_number, idempotency_key, amount, currency, status, failure_code, trigger, attempted_at, completed_at, created_at)
        select 'pa_h1' || substr(invoice_id, 5), ${merchantId}, invoice_id, 1, invoice_id || ':1', amount, 'jpy',
          case when r < 0.06 then 'failed' else 'succeeded' end, case when r < 0.06 then 'insufficient_funds' end, 'scheduled', due_at, due_at, due_at
        from dashboard_seed
        union all
        select 'pa_h2' || substr(invoice_id, 5), ${merchantId}, invoice_id, 2, invoice_id || ':2', amount, 'jpy',
          case when r < 0.04 then 'succeeded' else 'failed' end, case when r >= 0.04 then 'insufficient_funds' end, 'scheduled',
          due_at + interval '7 days', due_at + interval '7 days', due_at + interval '7 days'
        from dashboard_seed where r < 0.06`);
    });
    after = last;
    done += ids.length;
    onProgress(done);
  }
  return invoices;
}

type Timing = { name: string; p50: number; p95: number; rows: number };

async function time(name: string, runs: number, run: () => Promise<unknown[] | object>): Promise<Timing> {
  for (let i = 0; i < 3; i++) await run();
  const times: number[] = [];
  let last: unknown[] | object = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    last = await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const timing = { name, p50: round(quantile(times, 0.5)), p95: round(quantile(times, 0.95)), rows: Array.isArray(last) ? last.length : 1 };
  console.error(`bench dashboard: ${name.padEnd(24)} p50 ${String(timing.p50).padStart(8)} ms  p95 ${String(timing.p95).padStart(8)} ms  (${timing.rows} rows)`);
  return timing;
}

export async function runDashboardBench(argv: string[]): Promise<number> {
  const s = readSettings(argv);
  const bench = await openBenchDatabase({ url: s.url, pool: 4, prepare: true });
  try {
    const { db } = bench.database;
    const now = new Date();
    console.error(`bench dashboard: seeding ${s.count} contracts on ${bench.label}`);
    const started = performance.now();
    const seconds = () => ((performance.now() - started) / 1000).toFixed(0);
    const seed = await seedConsoleContracts(db, s.count, { now, onProgress: (n) => n % 200_000 === 0 && console.error(`bench dashboard: ${n} contracts in ${seconds()} s`) });
    const invoices = await seedRenewalHistory(db, seed.merchantId, now, 50_000, (n) => n % 200_000 === 0 && console.error(`bench dashboard: history of ${n} contracts in ${seconds()} s`));
    await bench.database.query("vacuum analyze");
    const seedSeconds = round((performance.now() - started) / 1000);
    console.error(`bench dashboard: seeded ${s.count} contracts and ${invoices} renewal invoices in ${seedSeconds} s`);

    const ctx = { db, merchantId: seed.merchantId, clock: systemClock };
    const days = dashboardDays(now, DEFAULT_TIME_ZONE, 12);
    const timings = [
      await time("month buckets", s.runs, () => monthBuckets(ctx, days.monthCuts)),
      await time("upcoming renewals", s.runs, () => upcomingRenewalsByPlan(ctx, days.upcoming7Before, days.upcoming30Before)),
      await time("status counts", s.runs, async () => [...(await liveCountsByStatus(ctx))]),
      await time("whole dashboard", s.runs, () => dashboard(ctx)),
    ];
    const figures = await dashboard(ctx);
    console.error(`bench dashboard: MRR ${figures.mrr}, counts ${JSON.stringify(figures.counts)}, upcoming 30 days ${JSON.stringify(figures.upcoming30)}`);
    const overTarget = timings.filter((t) => t.p95 > 100).map((t) => t.name);
    console.log(JSON.stringify({ mode: "dashboard", database: bench.label, contracts: s.count, renewal_invoices: invoices, seed_seconds: seedSeconds, runs: s.runs, timings, over_target: overTarget }));
    return 0;
  } finally {
    await bench.dispose();
  }
}
