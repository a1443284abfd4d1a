/**
 * `npm run bench -- bulk`: a bulk retry job over N overdue contracts (default 100,000) through the real services —
 * startBulkJob with the contracts picked by id, then the embedded runner's runBulkJobs — on a scratch database
 * (DATABASE_URL's server; PGlite in a temporary directory without it). Prints how fast the job started and how many
 * contracts per second it scheduled, then checks the result: each contract has exactly one manual retry at the
 * chosen time, every item is done, and the job's counters equal its items. Exits 1 if the check fails.
 *
 *   npm run bench -- bulk                       100,000 contracts, a retry on a chosen date, batches of 1,000
 *   npm run bench -- bulk --count 10000 --batch 500
 *
 * The last line of stdout is the summary as JSON.
 */
import { parseArgs } from "node:util";
import type { Database } from "@/db/client";
import { configuredPlatform } from "@/lib/platform";
import { BULK_BATCH } from "@/lib/runner/bulk-job-runner";
import { fixedClock } from "@/lib/services/context";
import { operatorContext } from "@/lib/services/contexts";
import { runBulkJobs } from "@/lib/services/run-bulk-jobs";
import { startBulkJob } from "@/lib/services/start-bulk-job";
import { seedOverdueContracts } from "@/test/fixtures/overdue-contracts";
import { startCpuMeter } from "./cpu";
import { openBenchDatabase } from "./database";
import { positiveIntOption } from "./args";

const USAGE = `Usage: npm run bench -- bulk [--count N] [--batch N] [--pool N]
  --count N   overdue contracts selected (default 100000)
  --batch N   contracts per batch transaction (default: the runner's, ${BULK_BATCH})
  --pool N    PostgreSQL connections (default 4)`;

type Settings = { count: number; batch: number; pool: number };

function readSettings(argv: string[]): Settings {
  const { values } = parseArgs({ args: argv, strict: true, options: { count: { type: "string" }, batch: { type: "string" }, pool: { type: "string" }, help: { type: "boolean", short: "h", default: false } } });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = positiveIntOption(USAGE);
  return { count: int("count", values.count, 100_000), batch: int("batch", values.batch, BULK_BATCH), pool: int("pool", values.pool, 4) };
}

/** What the job must leave behind: one manual retry at `at` per contract, every item done, counters equal to the items. */
async function checkBulkRetry(database: Database, merchantId: string, jobId: string, count: number, at: Date): Promise<{ figures: Record<string, number>; failures: string[] }> {
  const [row] = await database.query<Record<string, string>>(
    `select
       (select count(*) from scheduled_actions where merchant_id = $1 and kind = 'retry' and payload->>'manual' = 'true') as manual_retries,
       (select count(*) from scheduled_actions where merchant_id = $1 and kind = 'retry' and payload->>'manual' = 'true'
          and due_at = $2 and status = 'pending' and payload->>'bulkJob' = $3) as manual_retries_at_time,
       (select count(distinct subscription_id) from scheduled_actions where merchant_id = $1 and kind = 'retry' and payload->>'manual' = 'true' and due_at = $2) as contracts_with_retry,
       (select count(*) from subscriptions s where s.merchant_id = $1 and 1 <> (select count(*) from scheduled_actions a
          where a.subscription_id = s.id and a.kind = 'retry' and a.payload->>'manual' = 'true' and a.due_at = $2)) as contracts_not_exactly_once,
       (select count(*) from bulk_job_items where job_id = $3 and status = 'done') as items_done,
       (select count(*) from bulk_job_items where job_id = $3) as items,
       (select done from bulk_jobs where id = $3) as job_done,
       (select skipped + failed from bulk_jobs where id = $3) as job_skipped_or_failed,
       (select (status = 'done')::int from bulk_jobs where id = $3) as job_finished,
       (select count(*) from audit_events where merchant_id = $1 and action = 'subscription.retry_scheduled') as audit_lines`,
    [merchantId, at, jobId],
  );
  const figures = Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, Number(v)]));
  const expected: Record<string, number> = {
    manual_retries: count,
    manual_retries_at_time: count,
    contracts_with_retry: count,
    contracts_not_exactly_once: 0,
    items_done: count,
    items: count,
    job_done: count,
    job_skipped_or_failed: 0,
    job_finished: 1,
    audit_lines: count,
  };
  const failures = Object.entries(expected).flatMap(([k, v]) => (figures[k] === v ? [] : [`${k}: expected ${v}, got ${figures[k]}`]));
  return { figures, failures };
}

export async function runBulkBench(argv: string[]): Promise<number> {
  const s = readSettings(argv);
  const bench = await openBenchDatabase({ url: process.env.DATABASE_URL || undefined, pool: s.pool, prepare: true });
  const onSignal = () => void bench.dispose().finally(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const { database } = bench;
    console.error(`bench: bulk retry of ${s.count} overdue contracts on ${bench.label}`);
    const now = new Date();
    const paidThrough = new Date(now.getTime() - 3 * 86_400_000);
    const at = new Date(Math.ceil((now.getTime() + 7 * 86_400_000) / 3_600_000) * 3_600_000);
    let started = performance.now();
    const seeded = await seedOverdueContracts(database.db, { count: s.count, paidThrough });
    const seedSeconds = (performance.now() - started) / 1000;
    await database.query("analyze");
    const platform = { ...configuredPlatform(database), clock: fixedClock(now) };
    const ctx = operatorContext(platform, seeded.merchantId, "bench");
    const ids = Array.from({ length: s.count }, (_, i) => seeded.subscriptionId(i));

    started = performance.now();
    const job = await startBulkJob(ctx, { kind: "retry", params: { at }, selection: { type: "ids", ids } });
    const startSeconds = (performance.now() - started) / 1000;

    const cpu = await startCpuMeter(database);
    started = performance.now();
    const ticker = setInterval(() => {
      void database.query<{ done: number }>("select done from bulk_jobs where id = $1", [job.id]).then(([row]) => {
        const seconds = (performance.now() - started) / 1000;
        console.error(`bench: ${row?.done ?? 0} contracts in ${seconds.toFixed(0)} s`);
      });
    }, 10_000);
    let worked: number;
    try {
      worked = await runBulkJobs(platform, { batchSize: s.batch, leaseSeconds: 300, chargeConcurrency: 16 });
    } finally {
      clearInterval(ticker);
    }
    const runSeconds = (performance.now() - started) / 1000;
    const used = await cpu();
    const check = await checkBulkRetry(database, seeded.merchantId, job.id, s.count, at);
    const summary = {
      mode: "bulk_retry",
      database: bench.label,
      count: s.count,
      contracts_per_second: Math.round(worked / runSeconds),
      run_seconds: round(runSeconds),
      start_seconds: round(startSeconds),
      seed_seconds: round(seedSeconds),
      correct: check.failures.length === 0,
      batch: s.batch,
      node_cpu_ms_per_contract: round(used.nodeMs / worked, 3),
      server_cpu_ms_per_contract: used.serverMs === null ? null : round(used.serverMs / worked, 3),
      checks: check.figures,
      failures: check.failures,
    };
    for (const [k, v] of Object.entries(summary)) console.log(`${k.padEnd(28)} ${typeof v === "object" ? JSON.stringify(v) : v}`);
    console.log(JSON.stringify(summary));
    return check.failures.length === 0 ? 0 : 1;
  } finally {
    await bench.dispose();
  }
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
