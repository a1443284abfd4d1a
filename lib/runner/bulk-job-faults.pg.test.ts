import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/db/client";
import { configuredPlatform } from "@/lib/platform";
import { operatorContext } from "@/lib/services/contexts";
import { startBulkJob } from "@/lib/services/start-bulk-job";
import { seedOverdueContracts } from "@/test/fixtures/overdue-contracts";
import { createDatabaseFromTemplate, scratchDatabaseName } from "@/test/support/database";

/**
 * A bulk job killed -9 in the middle, for real: runner processes (`npm run cli -- runner`, which works bulk jobs beside
 * due actions) share a database of this file's own on the PostgreSQL server; each is killed at a random point of a
 * job and another takes over once the lease lapses. No contract may be done twice, and the counters must equal the items.
 */
const ROOT = path.resolve(import.meta.dirname, "..", "..");
const baseUrl = process.env.DATABASE_URL!;
const faultDbName = scratchDatabaseName("keizoku_bulk_faults");
const faultUrl = baseUrl.replace(/\/[^/]*$/, `/${faultDbName}`);

let admin: Database;
let database: Database;

function startRunner(): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "scripts/cli.ts", "runner"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: faultUrl, KEIZOKU_LEASE_SECONDS: "2", KEIZOKU_RUNNER_INTERVAL_MS: "100", KEIZOKU_RUNNER_CONCURRENCY: "16" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));

async function itemsDone(jobId: string): Promise<number> {
  const [row] = await database.query<{ n: string }>("select count(*) as n from bulk_job_items where job_id = $1 and status <> 'pending'", [jobId]);
  return Number(row!.n);
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the runners");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Kills runners at random points of the job until it is done, then lets one finish it. Returns how many were killed mid-job. */
async function killRunnersUntilDone(jobId: string, count: number): Promise<number[]> {
  const kills: number[] = [];
  for (let round = 0; round < 4; round++) {
    const before = await itemsDone(jobId);
    if (before >= count) break;
    const runner = startRunner();
    const killAfter = before + 1 + Math.floor(Math.random() * (count / 4));
    await waitFor(async () => (await itemsDone(jobId)) >= Math.min(killAfter, count) || runner.exitCode !== null, 90_000);
    await new Promise((r) => setTimeout(r, Math.random() * 150));
    runner.kill("SIGKILL");
    await exited(runner);
    kills.push(await itemsDone(jobId));
  }
  const finisher = startRunner();
  await waitFor(async () => {
    const [job] = await database.query<{ status: string }>("select status from bulk_jobs where id = $1", [jobId]);
    return job?.status === "done";
  }, 120_000);
  finisher.kill("SIGTERM");
  await exited(finisher);
  return kills;
}

async function counters(jobId: string) {
  const [row] = await database.query<Record<string, string>>(
    `select j.total, j.done, j.skipped, j.failed,
       (select count(*) from bulk_job_items i where i.job_id = j.id and i.status = 'done') as items_done,
       (select count(*) from bulk_job_items i where i.job_id = j.id and i.status = 'skipped') as items_skipped,
       (select count(*) from bulk_job_items i where i.job_id = j.id and i.status = 'failed') as items_failed
     from bulk_jobs j where j.id = $1`,
    [jobId],
  );
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
}

describe("bulk jobs under kill -9 (PostgreSQL)", () => {
  beforeAll(async () => {
    admin = await openDatabase({ url: baseUrl, max: 1 });
    await createDatabaseFromTemplate(admin, baseUrl, faultDbName);
    database = await openDatabase({ url: faultUrl, max: 4 });
  });
  afterAll(async () => {
    await database?.close();
    await admin?.query(`drop database if exists ${faultDbName} with (force)`);
    await admin?.close();
  });

  it("a bulk retry on a date: every contract gets exactly one retry at that time", async () => {
    const count = 8_000;
    const seeded = await seedOverdueContracts(database.db, { count, paidThrough: new Date(Date.now() - 3 * 86_400_000) });
    const at = new Date(Math.ceil((Date.now() + 5 * 86_400_000) / 60_000) * 60_000);
    const ctx = operatorContext(configuredPlatform(database), seeded.merchantId, "test");
    const job = await startBulkJob(ctx, { kind: "retry", params: { at }, selection: { type: "ids", ids: Array.from({ length: count }, (_, i) => seeded.subscriptionId(i)) } });
    const kills = await killRunnersUntilDone(job.id, count);
    expect(kills.filter((done) => done < count).length).toBeGreaterThanOrEqual(1);
    const [retries] = await database.query<Record<string, string>>(
      `select count(*) as retries, count(distinct subscription_id) as contracts,
         (select count(*) from audit_events where merchant_id = $1 and action = 'subscription.retry_scheduled') as audits
       from scheduled_actions where merchant_id = $1 and kind = 'retry' and payload->>'manual' = 'true' and due_at = $2`,
      [seeded.merchantId, at],
    );
    expect(Object.values(retries!).map(Number)).toEqual([count, count, count]);
    expect(await counters(job.id)).toEqual({ total: count, done: count, skipped: 0, failed: 0, items_done: count, items_skipped: 0, items_failed: 0 });
  }, 300_000);

  it("a bulk retry now: every contract charged exactly once, its item done", async () => {
    const count = 1500;
    const seeded = await seedOverdueContracts(database.db, { count, paidThrough: new Date(Date.now() - 3 * 86_400_000) });
    const ctx = operatorContext(configuredPlatform(database), seeded.merchantId, "test");
    const job = await startBulkJob(ctx, { kind: "retry", params: { at: null }, selection: { type: "ids", ids: Array.from({ length: count }, (_, i) => seeded.subscriptionId(i)) } });
    await killRunnersUntilDone(job.id, count);
    const [totals] = await database.query<Record<string, string>>(
      `select
         (select count(*) from payment_attempts where merchant_id = $1) as attempts,
         (select count(*) from sandbox_charges c join payment_attempts a on a.idempotency_key = c.idempotency_key where a.merchant_id = $1) as gateway_charges,
         (select count(*) from invoices where merchant_id = $1 and status = 'paid') as paid_invoices,
         (select count(*) from subscriptions where merchant_id = $1 and status = 'active') as active_contracts,
         (select count(*) from scheduled_actions where merchant_id = $1 and payload->>'bulkJob' = $2) as job_retries`,
      [seeded.merchantId, job.id],
    );
    expect(Object.fromEntries(Object.entries(totals!).map(([k, v]) => [k, Number(v)]))).toEqual({ attempts: count, gateway_charges: count, paid_invoices: count, active_contracts: count, job_retries: count });
    expect(await counters(job.id)).toEqual({ total: count, done: count, skipped: 0, failed: 0, items_done: count, items_skipped: 0, items_failed: 0 });
  }, 300_000);
});
