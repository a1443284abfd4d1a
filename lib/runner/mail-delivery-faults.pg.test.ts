import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/db/client";
import { merchants } from "@/db/schema";
import { DEFAULT_BILLING_SETTINGS } from "@/lib/billing/billing-settings";
import { newId } from "@/lib/ids";
import { enqueueMails } from "@/lib/mail/enqueue-mail";
import { createDatabaseFromTemplate, scratchDatabaseName } from "@/test/support/database";
import { type ResendStandIn, startResendStandIn } from "@/test/support/resend-stand-in";

/**
 * Mail delivery killed -9 mid-send, for real: runner processes (`npm run cli -- runner`) deliver through the official
 * SDK to a local stand-in of Resend's API (RESEND_BASE_URL; the only stand-in) from a database of this file's own, and
 * are killed at random points; another takes over once the leases lapse. Every mail must reach the stand-in once.
 */
const ROOT = path.resolve(import.meta.dirname, "..", "..");
const baseUrl = process.env.DATABASE_URL!;
const dbName = scratchDatabaseName("keizoku_mail_faults");
const url = baseUrl.replace(/\/[^/]*$/, `/${dbName}`);
const COUNT = 1500;

let admin: Database;
let database: Database;
let standIn: ResendStandIn;

function startRunner(): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "scripts/cli.ts", "runner"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, RESEND_API_KEY: "re_faults", RESEND_BASE_URL: standIn.url, KEIZOKU_MAIL_BATCH: "10", KEIZOKU_LEASE_SECONDS: "2", KEIZOKU_RUNNER_INTERVAL_MS: "100" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}
const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));

async function sentRows(merchantId: string): Promise<number> {
  const [row] = await database.query<{ n: string }>("select count(*) as n from mails where merchant_id = $1 and status = 'sent'", [merchantId]);
  return Number(row!.n);
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the runners");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("mail delivery under kill -9 (PostgreSQL)", () => {
  beforeAll(async () => {
    admin = await openDatabase({ url: baseUrl, max: 1 });
    await createDatabaseFromTemplate(admin, baseUrl, dbName);
    database = await openDatabase({ url, max: 4 });
    standIn = await startResendStandIn({ rate: 40, spurious429: 0.05 });
  });
  afterAll(async () => {
    await standIn?.close();
    await database?.close();
    await admin?.query(`drop database if exists ${dbName} with (force)`);
    await admin?.close();
  });

  it("every mail reaches Resend once, whichever runner sent it and however often one died", async () => {
    const merchantId = newId("mer");
    await database.db.insert(merchants).values({ id: merchantId, name: "障害試験", email: `${merchantId}@faults.test`, billingSettings: DEFAULT_BILLING_SETTINGS });
    await enqueueMails(
      database.db,
      Array.from({ length: COUNT }, (_, i) => ({ merchantId, template: "welcome" as const, to: `f${i}@example.jp`, locale: "ja" as const, variables: {}, idempotencyKey: `f${i}`, at: new Date() })),
    );
    const killedAt: number[] = [];
    for (let round = 0; round < 3; round++) {
      const before = standIn.messages.length;
      const runner = startRunner();
      // Killed once Resend has taken some of its requests: usually with more in flight.
      await waitFor(async () => standIn.messages.length >= before + 50 + Math.floor(Math.random() * 200) || runner.exitCode !== null, 90_000);
      runner.kill("SIGKILL");
      await exited(runner);
      killedAt.push(standIn.messages.length);
    }
    const finisher = startRunner();
    await waitFor(async () => (await sentRows(merchantId)) === COUNT, 120_000);
    finisher.kill("SIGTERM");
    await exited(finisher);

    expect(killedAt.filter((n) => n < COUNT).length).toBeGreaterThanOrEqual(1);
    const recipients = standIn.messages.map((m) => m.to);
    expect(recipients).toHaveLength(COUNT);
    expect(new Set(recipients).size).toBe(COUNT);
    const [row] = await database.query<Record<string, string>>(
      "select count(*) filter (where status = 'sent') as sent, count(distinct provider_message_id) as ids from mails where merchant_id = $1",
      [merchantId],
    );
    expect([Number(row!.sent), Number(row!.ids)]).toEqual([COUNT, COUNT]);
    const ids = new Set(standIn.messages.map((m) => m.id));
    const rows = await database.query<{ id: string }>("select provider_message_id as id from mails where merchant_id = $1", [merchantId]);
    expect(rows.filter((r) => ids.has(r.id))).toHaveLength(COUNT);
  }, 300_000);
});
