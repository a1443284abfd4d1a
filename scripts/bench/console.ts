import { parseArgs } from "node:util";
import { and, desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import { createTranslator } from "next-intl";
import postgres from "postgres";
import type { Database } from "@/db/client";
import * as schema from "@/db/schema";
import { customers, merchants, subscriptions } from "@/db/schema";
import { csvStream, type CsvEncoding } from "@/lib/csv/csv-download";
import { subscriptionCsv } from "@/lib/csv/subscription-export";
import { csvFields, DEFAULT_COLUMNS } from "@/lib/console/subscription-columns";
import { systemClock } from "@/lib/services/context";
import { searchSubscriptions, type SearchContext, subscriptionRowsMatching } from "@/lib/services/queries/subscription-search";
import { MESSAGES } from "@/messages";
import { consoleCombos, type Combo } from "./console-combos";
import { type ConsoleSeed, seedConsoleContracts } from "./console-seed";
import { openBenchDatabase, postgresRaw, type RawSql } from "./database";
import { sampleRss } from "./rss";
import { positiveIntOption } from "./args";

const USAGE = `Usage: npm run bench -- console [--count N] [--runs N] [--no-csv] [--existing] [--only TEXT]
  --count N      contracts to seed (default 1000000)
  --runs N       timed runs of each search after 3 untimed ones (default 30)
  --no-csv       skip the CSV export of every contract
  --existing     no scratch database and no seeding: use DATABASE_URL as it is, on the merchant a previous
                 seedConsoleContracts left there (the newest "一覧ベンチ商店"), to time changes to the queries
  --only TEXT    time only the searches whose name contains TEXT`;

type Settings = { count: number; runs: number; csv: boolean; existing: boolean; only: string | undefined; url: string | undefined };

function readSettings(argv: string[]): Settings {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      count: { type: "string" },
      runs: { type: "string" },
      "no-csv": { type: "boolean", default: false },
      existing: { type: "boolean", default: false },
      only: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = positiveIntOption(USAGE);
  const url = process.env.DATABASE_URL || undefined;
  if (values.existing && !url) throw new Error(`--existing needs DATABASE_URL\n\n${USAGE}`);
  return { count: int("count", values.count, 1_000_000), runs: int("runs", values.runs, 30), csv: !values["no-csv"], existing: values.existing, only: values.only, url };
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

type Statement = { text: string; params: unknown[] };

/**
 * The statements a search runs, as drizzle sends them: the same query code on a client of its own that logs them,
 * so that the "bare" side can send exactly these through the raw client (prepared, in one repeatable-read
 * transaction) without drizzle, the query builder and the assembly of rows in Node.
 */
async function capture(url: string, ctx: Omit<SearchContext, "db">, combo: Combo): Promise<Statement[]> {
  const statements: Statement[] = [];
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const db = drizzle(client, { schema, logger: { logQuery: (text, params) => statements.push({ text, params }) } }) as unknown as SearchContext["db"];
    await searchSubscriptions({ ...ctx, db }, combo.search);
  } finally {
    await client.end({ timeout: 5 });
  }
  return statements;
}

/**
 * The bare side's connections. drizzle hands postgres-js json and timestamp parameters already serialized, and sets
 * the client to pass them through as they are; this client does the same, so that it can send drizzle's parameters.
 */
function bareClient(url: string | undefined): RawSql | null {
  if (!url) return null;
  const client = postgres(url, { max: 2, onnotice: () => {} });
  const asIs = (value: unknown) => value;
  for (const type of ["114", "3802", "1184", "1082", "1083", "1114"]) (client.options.serializers as Record<string, (value: unknown) => unknown>)[type] = asIs;
  return postgresRaw(client, 2);
}

async function bare(raw: RawSql, statements: Statement[]): Promise<void> {
  await raw.transaction(async (query) => {
    await query("set transaction isolation level repeatable read, read only");
    for (const s of statements) await query(s.text, s.params);
  });
}

type Timing = { name: string; total: number; rows: number; p50: number; p95: number; bareP50: number | null; bareP95: number | null };

async function timeCombos(database: Database, raw: RawSql | null, url: string | undefined, ctx: SearchContext, combos: Combo[], runs: number): Promise<Timing[]> {
  const results: Timing[] = [];
  for (const combo of combos) {
    const service: number[] = [];
    let last = await searchSubscriptions(ctx, combo.search);
    for (let i = 0; i < 3; i++) await searchSubscriptions(ctx, combo.search);
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      last = await searchSubscriptions(ctx, combo.search);
      service.push(performance.now() - start);
    }
    let bareTimes: number[] | null = null;
    if (raw && url && database.kind === "postgres") {
      const statements = await capture(url, { merchantId: ctx.merchantId, clock: ctx.clock }, combo);
      for (let i = 0; i < 3; i++) await bare(raw, statements);
      bareTimes = [];
      for (let i = 0; i < runs; i++) {
        const start = performance.now();
        await bare(raw, statements);
        bareTimes.push(performance.now() - start);
      }
      bareTimes.sort((a, b) => a - b);
    }
    service.sort((a, b) => a - b);
    const timing: Timing = {
      name: combo.name,
      total: last.total,
      rows: last.rows.length,
      p50: round(quantile(service, 0.5)),
      p95: round(quantile(service, 0.95)),
      bareP50: bareTimes ? round(quantile(bareTimes, 0.5)) : null,
      bareP95: bareTimes ? round(quantile(bareTimes, 0.95)) : null,
    };
    console.error(
      `bench console: ${timing.name.padEnd(58)} ${String(timing.total).padStart(8)} matching  p50 ${String(timing.p50).padStart(7)} ms  p95 ${String(timing.p95).padStart(7)} ms  bare p50 ${timing.bareP50} p95 ${timing.bareP95}`,
    );
    results.push(timing);
  }
  return results;
}

/** Every contract through the export's own code: rows in keyset batches → CSV → bytes counted and dropped. */
async function exportAll(ctx: SearchContext, encoding: CsvEncoding): Promise<{ rows: number; megabytes: number; seconds: number }> {
  const t = createTranslator({ locale: "ja", messages: MESSAGES.ja, namespace: "subscriptions" });
  const common = createTranslator({ locale: "ja", messages: MESSAGES.ja, namespace: "common" });
  const fields = csvFields(DEFAULT_COLUMNS);
  const csv = subscriptionCsv(fields, { header: (f) => t(`csv.${f}`), status: (s) => common(`status.${s}`), actionKind: (k) => common(`actionKind.${k}`) }, "Asia/Tokyo");
  let rows = 0;
  async function* batches() {
    for await (const batch of subscriptionRowsMatching(ctx, {})) {
      rows += batch.length;
      yield batch.map(csv.row);
    }
  }
  const start = performance.now();
  const reader = csvStream(csv.header, batches(), encoding).getReader();
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
  }
  return { rows, megabytes: round(bytes / 1024 / 1024, 1), seconds: round((performance.now() - start) / 1000, 1) };
}

/** The merchant a previous run seeded, with what the combos need. */
async function existingSeed(database: Database): Promise<ConsoleSeed> {
  const [merchant] = await database.db.select().from(merchants).where(eq(merchants.name, "一覧ベンチ商店")).orderBy(desc(merchants.createdAt)).limit(1);
  if (!merchant) throw new Error("--existing: no merchant seeded by seedConsoleContracts in this database");
  const plans = await database.db.select().from(schema.plans).where(eq(schema.plans.merchantId, merchant.id));
  const productIds = [...new Set(plans.map((p) => p.productId))].sort();
  const clocks = await database.db.select().from(schema.testClocks).where(eq(schema.testClocks.merchantId, merchant.id));
  return { merchantId: merchant.id, productIds, plans: plans.map((p) => ({ id: p.id, productId: p.productId, amount: p.amount })), testClockIds: clocks.map((c) => c.id), customers: 0 };
}

export async function runConsoleBench(argv: string[]): Promise<number> {
  const s = readSettings(argv);
  const rss = sampleRss(50);
  const bench = s.existing ? null : await openBenchDatabase({ url: s.url, pool: 4, prepare: true });
  const database = bench?.database ?? (await (await import("@/db/client")).openDatabase({ url: s.url!, max: 4 }));
  const url = bench ? (bench.database.url ?? undefined) : s.url;
  const raw = bareClient(url);
  try {
    let seed: ConsoleSeed;
    let seedSeconds: number | null = null;
    if (bench) {
      console.error(`bench console: seeding ${s.count} contracts on ${bench.label}`);
      rss.phase("seed");
      const start = performance.now();
      seed = await seedConsoleContracts(database.db, s.count, { onProgress: (n) => n % 200_000 === 0 && console.error(`bench console: ${n} contracts in ${((performance.now() - start) / 1000).toFixed(0)} s`) });
      await database.query("vacuum analyze");
      seedSeconds = round((performance.now() - start) / 1000, 1);
    } else {
      seed = await existingSeed(database);
    }
    const ctx: SearchContext = { db: database.db, merchantId: seed.merchantId, clock: systemClock };
    const [sample] = await database.db
      .select({ id: subscriptions.id, email: customers.email })
      .from(subscriptions)
      .innerJoin(customers, eq(customers.id, subscriptions.customerId))
      .where(and(eq(subscriptions.merchantId, seed.merchantId), eq(subscriptions.status, "active")))
      .limit(1);
    rss.phase("searches");
    const combos = consoleCombos(seed, new Date(), "Asia/Tokyo", { contractId: sample!.id, email: sample!.email }).filter((c) => !s.only || c.name.includes(s.only));
    const timings = await timeCombos(database, raw, url, ctx, combos, s.runs);
    const exports: Record<string, unknown> = {};
    if (s.csv) {
      for (const encoding of ["utf8", "shift_jis"] as const) {
        rss.phase(`csv_${encoding}`);
        const result = await exportAll(ctx, encoding);
        const memory = rss.phases()[`csv_${encoding}`]!;
        exports[encoding] = { ...result, megabytes_per_second: round(result.megabytes / result.seconds, 1), rss_mb: `${memory.startMb} → ${memory.peakMb}` };
        console.error(`bench console: CSV (${encoding}) ${JSON.stringify(exports[encoding])}`);
      }
    }
    const worstP95 = Math.max(...timings.map((t) => t.p95));
    const overTarget = timings.filter((t) => t.p95 > 50 || (t.bareP95 !== null && t.p95 > 2 * t.bareP95)).map((t) => t.name);
    const summary = {
      mode: "console",
      database: bench?.label ?? "existing database",
      contracts: s.count,
      seed_seconds: seedSeconds,
      runs_per_search: s.runs,
      searches: timings.length,
      worst_p95_ms: worstP95,
      over_target: overTarget,
      timings,
      csv: exports,
      rss_mb_by_phase: Object.fromEntries(Object.entries(rss.phases()).map(([phase, m]) => [phase, `${m.startMb} → ${m.peakMb}`])),
    };
    console.log(JSON.stringify(summary));
    return 0;
  } finally {
    rss.stop();
    await raw?.close();
    if (bench) await bench.dispose();
    else await database.close();
  }
}
