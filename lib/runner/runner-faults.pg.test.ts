import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/db/client";
import { seedDueRenewals } from "@/test/fixtures/due-renewals";
import { createDatabaseFromTemplate } from "@/test/support/database";

/**
 * Crash and concurrency faults need separate processes sharing one database server, so this file runs on
 * PostgreSQL only (an embedded PGlite directory belongs to one process). It makes a database of its own so
 * that its runners see nothing but its own contracts.
 */
const ROOT = path.resolve(import.meta.dirname, "..", "..");
const baseUrl = process.env.DATABASE_URL!;
const faultDbName = `keizoku_faults_${process.pid}_${Date.now()}`;
const faultUrl = baseUrl.replace(/\/[^/]*$/, `/${faultDbName}`);

let admin: Database;
let database: Database;

/** A short lease by default, so that actions of a killed runner are taken over within the test. */
function startRunner(leaseSeconds = 2): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "scripts/cli.ts", "runner"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: faultUrl, KEIZOKU_LEASE_SECONDS: String(leaseSeconds), KEIZOKU_RUNNER_INTERVAL_MS: "100", KEIZOKU_RUNNER_BATCH: "40", KEIZOKU_RUNNER_CONCURRENCY: "8" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));

async function doneRenewals(merchantId: string, dueAt: Date): Promise<number> {
  const [row] = await database.query<{ n: string }>(
    "select count(*) as n from scheduled_actions where merchant_id = $1 and kind = 'renewal' and due_at = $2 and status <> 'pending'",
    [merchantId, dueAt.toISOString()],
  );
  return Number(row!.n);
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the runners");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every contract charged exactly once: the sandbox's ledger and our paid invoices agree one to one. */
async function expectChargedExactlyOnce(merchantId: string, count: number) {
  const [totals] = await database.query<Record<string, string>>(
    `select
       (select count(*) from invoices where merchant_id = $1 and kind = 'renewal' and status = 'paid') as paid_invoices,
       (select count(*) from invoices where merchant_id = $1 and kind = 'renewal') as invoices,
       (select count(distinct subscription_id) from invoices where merchant_id = $1 and kind = 'renewal' and status = 'paid') as paid_contracts,
       (select count(*) from payment_attempts where merchant_id = $1) as attempts,
       (select count(*) from payment_attempts where merchant_id = $1 and status = 'pending') as pending_attempts,
       (select count(*) from sandbox_charges c join payment_attempts a on a.idempotency_key = c.idempotency_key where a.merchant_id = $1) as gateway_charges,
       (select count(*) from sandbox_charges c join payment_attempts a on a.idempotency_key = c.idempotency_key
          join invoices i on i.id = a.invoice_id where a.merchant_id = $1 and c.outcome = 'succeeded' and i.status = 'paid') as charges_matching_paid,
       (select count(*) from scheduled_actions where merchant_id = $1 and kind = 'renewal' and status = 'pending') as next_renewals,
       (select count(distinct subscription_id) from scheduled_actions where merchant_id = $1 and kind = 'renewal' and status = 'pending') as contracts_with_next_renewal,
       (select count(*) from mails where merchant_id = $1 and template = 'charge_succeeded') as receipts,
       (select count(*) from subscriptions where merchant_id = $1 and status = 'active' and paid_through > now()) as renewed_contracts`,
    [merchantId],
  );
  expect(Object.fromEntries(Object.entries(totals!).map(([k, v]) => [k, Number(v)]))).toEqual({
    paid_invoices: count,
    invoices: count,
    paid_contracts: count,
    attempts: count,
    pending_attempts: 0,
    gateway_charges: count,
    charges_matching_paid: count,
    next_renewals: count,
    contracts_with_next_renewal: count,
    receipts: count,
    renewed_contracts: count,
  });
}

describe("embedded runner under faults (PostgreSQL)", () => {
  beforeAll(async () => {
    admin = await openDatabase({ url: baseUrl, max: 1 });
    // A copy of the run's migrated template database (test/global-setup.ts).
    await createDatabaseFromTemplate(admin, baseUrl, faultDbName);
    database = await openDatabase({ url: faultUrl, max: 4 });
  });
  afterAll(async () => {
    await database?.close();
    await admin?.query(`drop database if exists ${faultDbName} with (force)`);
    await admin?.close();
  });

  it("charges every contract exactly once when the runner is killed -9 at random points and restarted", async () => {
    const dueAt = new Date(Date.now() - 3_600_000);
    const count = 1200;
    const { merchantId } = await seedDueRenewals(database.db, { count, dueAt });
    const kills: number[] = [];
    let attemptsLeftInFlight = 0;
    for (let round = 0; round < 5; round++) {
      const before = await doneRenewals(merchantId, dueAt);
      if (before >= count) break;
      const killAfter = before + 40 + Math.floor(Math.random() * 200);
      const runner = startRunner();
      await waitFor(async () => (await doneRenewals(merchantId, dueAt)) >= Math.min(killAfter, count) || runner.exitCode !== null, 90_000);
      // The count moves when a batch settles, so killing on sight would always hit the start of the next batch.
      await new Promise((r) => setTimeout(r, Math.random() * 300));
      runner.kill("SIGKILL");
      await exited(runner);
      kills.push(await doneRenewals(merchantId, dueAt));
      const [inFlight] = await database.query<{ n: string }>("select count(*) as n from payment_attempts where merchant_id = $1 and status = 'pending'", [merchantId]);
      attemptsLeftInFlight += Number(inFlight!.n);
    }
    expect(kills.length).toBeGreaterThanOrEqual(3);
    // Some kills landed between a charge and its settlement: those attempts were replayed, not repeated.
    expect(attemptsLeftInFlight).toBeGreaterThan(0);
    const finisher = startRunner();
    await waitFor(async () => (await doneRenewals(merchantId, dueAt)) === count, 120_000);
    finisher.kill("SIGTERM");
    await exited(finisher);
    await expectChargedExactlyOnce(merchantId, count);
  }, 300_000);

  it("charges every contract exactly once with two runners at once", async () => {
    const dueAt = new Date(Date.now() - 3_600_000);
    const count = 1000;
    const { merchantId } = await seedDueRenewals(database.db, { count, dueAt });
    // A lease no batch outlives even on a loaded machine: a second run of an action could then only be a double claim.
    const runners = [startRunner(60), startRunner(60)];
    await waitFor(async () => (await doneRenewals(merchantId, dueAt)) === count, 120_000);
    for (const runner of runners) runner.kill("SIGTERM");
    await Promise.all(runners.map(exited));
    await expectChargedExactlyOnce(merchantId, count);
    const [byRunner] = await database.query<{ max_runs: number }>("select max(run_count) as max_runs from scheduled_actions where merchant_id = $1", [merchantId]);
    expect(Number(byRunner!.max_runs)).toBe(1);
  }, 300_000);
});
