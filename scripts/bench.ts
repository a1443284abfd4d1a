/**
 * `npm run bench`: a bill run of N due monthly renewals through the real runner and services, on the configured
 * database (DATABASE_URL → a scratch database on that server, dropped afterwards; otherwise PGlite in a temporary
 * directory). Not a test: it prints figures, checks the run's result, and exits 1 if the result is wrong.
 *
 *   npm run bench                        10,000 renewals, sandbox at zero latency, plus the same writes in raw SQL
 *   npm run bench -- --count 100000      the same at 100,000 (memory must not grow with N)
 *   npm run bench -- --latency-mode      2,000 renewals, sandbox with 1 s latency and 100 charges/s
 *   npm run bench -- bulk                a bulk retry job over 100,000 overdue contracts (scripts/bench/bulk.ts)
 *
 *   npm run bench -- mail                10,000 queued mails delivered to a rate-limited Resend stand-in (scripts/bench/mail.ts)
 *   npm run bench -- webhooks            5,000 outgoing webhook deliveries to a local receiver (scripts/bench/webhooks.ts)
 *   npm run bench -- console            the contracts workspace's searches at 1,000,000 contracts (scripts/bench/console.ts)
 *   npm run bench -- dashboard          the console home's figures at 1,000,000 contracts with a year of history (scripts/bench/dashboard.ts)
 *
 * The last line of stdout is the summary as JSON.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import type { Database } from "@/db/client";
import { seedDueRenewals } from "@/test/fixtures/due-renewals";
import { localDateOf, startOfLocalDay } from "@/lib/billing/calendar";
import { env } from "@/lib/env";
import { createSandboxGateway } from "@/lib/gateways/sandbox";
import { runDueBatch } from "@/lib/runner/embedded-runner";
import { gatewayRegistry } from "@/lib/gateways/gateways";
import { configuredPlatform } from "@/lib/platform";
import type { PaymentGateway } from "@/lib/gateways/payment-gateway";
import { checkBillRun, checkLedger, type BillRunCheck } from "./bench/checks";
import { startCpuMeter, type CpuUsed } from "./bench/cpu";
import { profiled } from "./bench/cpu-profile";
import { openBenchDatabase, type BenchDatabase } from "./bench/database";
import { runRawBillRun } from "./bench/raw-renewals";
import { sampleRss, type RssSampler } from "./bench/rss";
import { positiveIntOption } from "./bench/args";

const USAGE = `Usage: npm run bench -- [--count N] [--latency-mode] [--batch N] [--concurrency N] [--lanes N] [--pool N]
  --count N          renewals (default 10000; 2000 in latency mode)
  --latency-mode     sandbox with gateway latency and a rate limit instead of zero latency, no raw yardstick
  --latency-ms N     the latency mode's gateway latency (default 1000)
  --rate N           the latency mode's charges per second (default 100)
  --batch N          actions claimed per runDueBatch (default: the runner's, KEIZOKU_RUNNER_BATCH, 200)
  --concurrency N    gateway calls in flight per batch (default: the runner's, KEIZOKU_RUNNER_CONCURRENCY, 100)
  --lanes N          runDueBatch loops side by side (default: the runner's, KEIZOKU_RUNNER_LANES, 3; 1 on PGlite)
  --pool N           PostgreSQL connections for each of the service and raw sides (default lanes × concurrency + 4, at most 40)
  --no-raw           skip the raw-SQL yardstick
  --no-prepare       leave drizzle's statements unprepared on PostgreSQL, to see what preparing them buys
  --cpu-profile F    write a V8 CPU profile of the service run (not the seeding) to file F`;

type Settings = {
  count: number;
  latencyMode: boolean;
  latencyMs: number;
  rate: number;
  batchSize: number;
  concurrency: number;
  lanes: number;
  pool: number;
  raw: boolean;
  prepare: boolean;
  url: string | undefined;
  cpuProfile: string | undefined;
};

function readSettings(argv: string[]): Settings {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      count: { type: "string" },
      "latency-mode": { type: "boolean", default: false },
      "latency-ms": { type: "string" },
      rate: { type: "string" },
      batch: { type: "string" },
      concurrency: { type: "string" },
      lanes: { type: "string" },
      pool: { type: "string" },
      "no-raw": { type: "boolean", default: false },
      "no-prepare": { type: "boolean", default: false },
      "cpu-profile": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const url = process.env.DATABASE_URL || undefined;
  const latencyMode = values["latency-mode"];
  const int = positiveIntOption(USAGE);
  // The runner's own settings, so that the figures are those of what ships (lib/runner/start-configured-runner.ts).
  const runner = env();
  const concurrency = int("concurrency", values.concurrency, runner.KEIZOKU_RUNNER_CONCURRENCY);
  const lanes = int("lanes", values.lanes, url ? runner.KEIZOKU_RUNNER_LANES : 1);
  return {
    count: int("count", values.count, latencyMode ? 2000 : 10_000),
    latencyMode,
    latencyMs: int("latency-ms", values["latency-ms"], 1000),
    rate: int("rate", values.rate, 100),
    batchSize: int("batch", values.batch, runner.KEIZOKU_RUNNER_BATCH),
    concurrency,
    lanes,
    pool: int("pool", values.pool, Math.min(40, lanes * concurrency + 4)),
    raw: !values["no-raw"] && !latencyMode,
    prepare: !values["no-prepare"],
    url,
    cpuProfile: values["cpu-profile"],
  };
}

/** Yesterday 00:00 in Tokyo: a real billing instant in the past whose next renewal is a month ahead, so one pass empties the queue. */
function dueInstant(): Date {
  const zone = "Asia/Tokyo";
  return startOfLocalDay(localDateOf(new Date(), zone).subtract({ days: 1 }), zone);
}

/** Fresh statistics and a checkpoint between phases, so that one phase's leftovers do not bill the next. */
async function settle(database: Database): Promise<void> {
  await database.query("analyze");
  // CHECKPOINT needs a superuser (or pg_checkpoint); without it the phases only share more noise.
  await database.query("checkpoint").catch(() => {});
}

type RunResult = { renewals: number; errors: number; seconds: number; perSecond: number; cpu: CpuUsed };

/** Renewals made so far by a running phase, for the progress line. */
type Progress = { done: number };

/** Wall time and CPU of one bill run, neither including seeding or checking; a progress line on stderr every 10 s. */
async function timed(database: Database, label: string, run: (progress: Progress) => Promise<{ renewals: number; errors: number }>): Promise<RunResult> {
  const progress: Progress = { done: 0 };
  const stopCpu = await startCpuMeter(database);
  const started = performance.now();
  const ticker = setInterval(() => {
    const seconds = (performance.now() - started) / 1000;
    console.error(`bench: ${label} ${progress.done} renewals in ${seconds.toFixed(0)} s (${(progress.done / seconds).toFixed(0)}/s)`);
  }, 10_000);
  try {
    const { renewals, errors } = await run(progress);
    const seconds = (performance.now() - started) / 1000;
    return { renewals, errors, seconds, perSecond: renewals / seconds, cpu: await stopCpu() };
  } finally {
    clearInterval(ticker);
  }
}

/**
 * PGlite answers within one chain of microtasks, so a whole bill run on it would never let a timer fire: no RSS
 * samples, no progress line. On PGlite each charge therefore first yields to the event loop (a few microseconds).
 */
function letTimersRun(database: Database, gateway: PaymentGateway): PaymentGateway {
  if (database.kind !== "pglite") return gateway;
  return {
    ...gateway,
    name: gateway.name,
    setupCard: (input) => gateway.setupCard(input),
    refund: (request) => gateway.refund(request),
    charge: async (request) => {
      await new Promise((resolve) => setImmediate(resolve));
      return gateway.charge(request);
    },
  };
}

/** The embedded runner's loop: runDueBatch on the real clock until nothing is due, in `lanes` loops at once. */
async function driveRunner(database: Database, gateway: PaymentGateway, s: Settings, progress: Progress): Promise<{ renewals: number; errors: number }> {
  let ran = 0;
  let errors = 0;
  const options = {
    platform: { ...configuredPlatform(database), gateways: gatewayRegistry(letTimersRun(database, gateway)) },
    batchSize: s.batchSize,
    concurrency: s.concurrency,
    leaseSeconds: 300,
    onError: (id: string, error: unknown) => {
      if (errors++ < 5) console.error(`action ${id} failed: ${error instanceof Error ? error.message : String(error)}`);
    },
  };
  const lane = async () => {
    for (let n = -1; n !== 0; ran += n, progress.done += n) n = await runDueBatch(options);
  };
  await Promise.all(Array.from({ length: s.lanes }, lane));
  return { renewals: ran - errors, errors };
}

/** The figures of one timed run, keyed with a prefix ("" for the service path, "raw_" for the yardstick). */
function runFigures(prefix: string, run: RunResult): Summary {
  const perRenewal = (ms: number | null) => (ms === null || run.renewals === 0 ? null : round(ms / run.renewals, 3));
  return {
    [`${prefix}renewals`]: run.renewals,
    [`${prefix}errors`]: run.errors,
    [`${prefix}seconds`]: round(run.seconds, 2),
    [`${prefix}renewals_per_second`]: round(run.perSecond, 0),
    [`${prefix}node_cpu_ms_per_renewal`]: perRenewal(run.cpu.nodeMs),
    [`${prefix}server_cpu_ms_per_renewal`]: perRenewal(run.cpu.serverMs),
  };
}

type Summary = Record<string, string | number | boolean | null | Record<string, string> | string[]>;

async function zeroLatencyRun(bench: BenchDatabase, s: Settings, rss: RssSampler): Promise<{ summary: Summary; checks: BillRunCheck[] }> {
  const { database } = bench;
  const dueAt = dueInstant();
  const checks: BillRunCheck[] = [];
  let raw: RunResult | undefined;
  // The raw yardstick runs first, on a merchant of its own, so that the service path is measured on the larger tables.
  if (s.raw) {
    rss.phase("seed_raw");
    // Only the merchant id is kept: the fixture's list of N contract ids would count as memory growing with N.
    const { merchantId: rawMerchantId } = await seedDueRenewals(database.db, { count: s.count, dueAt });
    await settle(database);
    rss.phase("raw_run");
    const rawOptions = { batchSize: s.batchSize, lanes: s.lanes, leaseSeconds: 300 };
    raw = await timed(database, "raw", async (progress) => ({ renewals: await runRawBillRun(bench.raw, rawOptions, progress), errors: 0 }));
    rss.phase("check_raw");
    checks.push(await checkBillRun(database, rawMerchantId, s.count, dueAt));
  }
  rss.phase("seed_service");
  const { merchantId } = await seedDueRenewals(database.db, { count: s.count, dueAt });
  await settle(database);
  rss.phase("service_run");
  const service = await profiled(s.cpuProfile, () => timed(database, "service", (progress) => driveRunner(database, createSandboxGateway(database.db), s, progress)));
  const heapAfterRun = rss.liveHeapMb();
  rss.phase("check_service");
  checks.push(await checkBillRun(database, merchantId, s.count, dueAt));
  const summary: Summary = { ...runFigures("", service), live_heap_after_run_mb: heapAfterRun };
  if (raw) Object.assign(summary, runFigures("raw_", raw), { service_vs_raw_percent: round((100 * service.perSecond) / raw.perSecond, 1) });
  return { summary, checks };
}

async function latencyRun(bench: BenchDatabase, s: Settings, rss: RssSampler): Promise<{ summary: Summary; checks: BillRunCheck[] }> {
  const { database } = bench;
  const dueAt = dueInstant();
  rss.phase("seed_service");
  const { merchantId } = await seedDueRenewals(database.db, { count: s.count, dueAt });
  await settle(database);
  rss.phase("service_run");
  const gateway = createSandboxGateway(database.db, { latencyMs: s.latencyMs, chargesPerSecond: s.rate, chargeBurst: 1 });
  const run = await profiled(s.cpuProfile, () => timed(database, "service", (progress) => driveRunner(database, gateway, s, progress)));
  const heapAfterRun = rss.liveHeapMb();
  rss.phase("check_service");
  const [span] = await database.query<{ n: string; seconds: number | null }>(
    "select count(*) as n, extract(epoch from max(created_at) - min(created_at))::float8 as seconds from sandbox_charges",
  );
  const charges = Number(span?.n ?? 0);
  return {
    summary: {
      ...runFigures("", run),
      live_heap_after_run_mb: heapAfterRun,
      in_flight: s.lanes * s.concurrency,
      charges,
      charges_per_second: round(charges / run.seconds, 1),
      // Between the first and the last charge: the gateway's own pace, without the run's first and last second.
      ledger_charges_per_second: span?.seconds ? round((charges - 1) / span.seconds, 1) : null,
    },
    checks: [await checkBillRun(database, merchantId, s.count, dueAt)],
  };
}

/** Node and V8 flags this run had (e.g. --max-semi-space-size), without tsx's own loader flags. */
function nodeOptions(): string {
  const flags = process.execArgv.filter((arg, i, all) => !/^--(require|import)$/.test(arg) && !/^--(require|import)$/.test(all[i - 1] ?? "") && !arg.startsWith("--import=") && !arg.startsWith("--require="));
  return [...flags, process.env.NODE_OPTIONS ?? ""].join(" ").trim();
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function printTable(summary: Summary): void {
  const rows = Object.entries(summary).map(([k, v]) => [k, typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)] as const);
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\n${"=".repeat(width + 30)}`);
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  console.log("=".repeat(width + 30));
}

async function main(): Promise<number> {
  // Modes with a script of their own: `npm run bench -- bulk …` (scripts/bench/bulk.ts).
  if (process.argv[2] === "bulk") return (await import("./bench/bulk")).runBulkBench(process.argv.slice(3));
  if (process.argv[2] === "mail") return (await import("./bench/mail")).runMailBench(process.argv.slice(3));
  if (process.argv[2] === "webhooks") return (await import("./bench/webhooks")).runWebhooksBench(process.argv.slice(3));
  if (process.argv[2] === "dashboard") return (await import("./bench/dashboard")).runDashboardBench(process.argv.slice(3));
  const s = readSettings(process.argv.slice(2));
  const rss = sampleRss(50);
  const bench = await openBenchDatabase({ url: s.url, pool: s.pool, prepare: s.prepare });
  const onSignal = () => void bench.dispose().finally(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const loadBefore = os.loadavg()[0]!;
  try {
    console.error(`bench: ${s.latencyMode ? "latency mode" : "zero latency"}, ${s.count} renewals on ${bench.label}`);
    const { summary, checks } = s.latencyMode ? await latencyRun(bench, s, rss) : await zeroLatencyRun(bench, s, rss);
    checks.push(await checkLedger(bench.database));
    const memory = rss.phases();
    const failures = checks.flatMap((c) => c.failures);
    const headline = ["renewals_per_second", "raw_renewals_per_second", "service_vs_raw_percent", "charges_per_second"].filter((k) => k in summary);
    const full: Summary = {
      mode: s.latencyMode ? "latency" : "zero_latency",
      database: bench.label,
      count: s.count,
      ...Object.fromEntries(headline.map((k) => [k, summary[k]!])),
      peak_rss_mb: memory.service_run?.peakMb ?? 0,
      rss_at_run_start_mb: memory.service_run?.startMb ?? 0,
      correct: failures.length === 0,
      ...summary,
      batch: s.batchSize,
      concurrency: s.concurrency,
      lanes: s.lanes,
      pool: bench.database.kind === "postgres" ? s.pool : null,
      prepared_statements: bench.database.kind === "postgres" ? s.prepare : null,
      node_options: nodeOptions(),
      // Per phase, after a full GC at its start: "RSS at start → peak" in MB.
      rss_mb_by_phase: Object.fromEntries(Object.entries(memory).map(([phase, m]) => [phase, `${m.startMb} → ${m.peakMb}`])),
      load_average_1m: `${round(loadBefore, 2)} → ${round(os.loadavg()[0]!, 2)}`,
      failures,
    };
    printTable(full);
    console.log(JSON.stringify(full));
    return failures.length === 0 ? 0 : 1;
  } finally {
    rss.stop();
    await bench.dispose();
  }
}

// `npm run bench -- console …`: the contracts workspace's benchmark, with its own flags.
process.exit(process.argv[2] === "console" ? await (await import("./bench/console")).runConsoleBench(process.argv.slice(3)) : await main());
