/**
 * A console-like read on a large merchant, to compare the embedded databases (not a test):
 *
 *   npx tsx scripts/list-query-bench.ts --engine postgres    the embedded PostgreSQL server, in a temporary data directory
 *   npx tsx scripts/list-query-bench.ts --engine pglite      PGlite in a temporary data directory
 *   DATABASE_URL=postgres://… npx tsx scripts/list-query-bench.ts --engine postgres   a scratch database on that server
 *
 * It seeds one merchant with N contracts (default 100,000, test/fixtures/due-renewals.ts, then spreads them over
 * statuses: 80 % active, 10 % past_due, 7 % canceled, 3 % unpaid), then times the contract list page the console and
 * the API show: the newest 50 subscriptions of the merchant filtered by a status, through listSubscriptions (the query
 * plus its two follow-ups for the newest invoice and the next action). Prints the first (cold) call, then median, p95
 * and mean over --runs calls, for `past_due` and `active`; the last line of stdout is the summary as JSON.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { migrateDatabase, openDatabase, type Database } from "@/db/client";
import { acquireSharedPostgres } from "@/lib/embedded-postgres";
import { listSubscriptions } from "@/lib/services/queries/subscriptions";
import { seedDueRenewals } from "@/test/fixtures/due-renewals";

const { values } = parseArgs({
  options: {
    engine: { type: "string", default: "postgres" },
    contracts: { type: "string", default: "100000" },
    runs: { type: "string", default: "200" },
  },
});
const engine = values.engine;
if (engine !== "postgres" && engine !== "pglite") throw new Error("--engine postgres|pglite");
const count = Number(values.contracts);
const runs = Number(values.runs);

type Opened = { database: Database; label: string; dispose(): Promise<void> };

async function open(): Promise<Opened> {
  const dir = mkdtempSync(path.join(tmpdir(), "keizoku-list-bench-"));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  if (engine === "pglite") {
    const database = await openDatabase({ dataDir: dir });
    return { database, label: `PGlite (${dir})`, dispose: async () => (await database.close(), removeDir()) };
  }
  if (process.env.DATABASE_URL) {
    const name = `keizoku_listbench_${process.pid}`;
    const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    const database = await openDatabase({ url: url.toString(), max: 4 });
    return {
      database,
      label: `PostgreSQL at DATABASE_URL (${name})`,
      dispose: async () => {
        await database.close();
        await admin.unsafe(`drop database ${name} with (force)`);
        await admin.end();
        removeDir();
      },
    };
  }
  const server = await acquireSharedPostgres(dir, (line) => console.error(line));
  const database = await openDatabase({ url: server.url, max: 4 });
  return {
    database,
    label: `embedded PostgreSQL (${dir})`,
    dispose: async () => {
      await database.close();
      await server.release();
      removeDir();
    },
  };
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const round = (n: number) => Math.round(n * 100) / 100;
  return { median_ms: round(at(0.5)), p95_ms: round(at(0.95)), mean_ms: round(samples.reduce((a, b) => a + b, 0) / samples.length) };
}

const opened = await open();
const { database } = opened;
try {
  const t = performance.now();
  await migrateDatabase(database);
  const { merchantId } = await seedDueRenewals(database.db, { count, dueAt: new Date(Date.now() - 86_400_000) });
  await database.query(
    `update subscriptions set status = case when r < 0.80 then 'active' when r < 0.90 then 'past_due' when r < 0.97 then 'canceled' else 'unpaid' end
     from (select id as sid, random() as r from subscriptions where merchant_id = $1) x where id = x.sid`,
    [merchantId],
  );
  await database.query("analyze");
  const seedSeconds = (performance.now() - t) / 1000;
  console.error(`list-query-bench: ${count} contracts seeded on ${opened.label} in ${seedSeconds.toFixed(1)} s`);

  const summary: Record<string, unknown> = { database: opened.label, contracts: count, runs, seed_seconds: Math.round(seedSeconds * 10) / 10 };
  for (const status of ["past_due", "active"] as const) {
    const call = async () => {
      const start = performance.now();
      const page = await listSubscriptions({ db: database.db, merchantId }, { limit: 50, status });
      if (page.rows.length !== 50 || page.rows.some((r) => r.status !== status)) throw new Error(`unexpected page for ${status}`);
      return performance.now() - start;
    };
    const cold = await call();
    for (let i = 0; i < 10; i++) await call();
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) samples.push(await call());
    summary[status] = { first_call_ms: Math.round(cold * 100) / 100, ...stats(samples) };
    console.error(`list-query-bench: newest 50 '${status}': first ${cold.toFixed(2)} ms, then ${JSON.stringify(stats(samples))}`);
  }
  console.log(JSON.stringify(summary));
} finally {
  await opened.dispose();
}
