import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { apiKeys, merchants, staffUsers } from "@/db/schema";
import { hashSecretKey } from "@/lib/auth/api-key";
import { childEnv, env } from "@/lib/env";
import { openConfiguredDatabase } from "@/lib/runtime";

/**
 * The real CLI in a child process, on the embedded PostgreSQL server of a fresh data directory, or on the PostgreSQL
 * database named by DATABASE_URL when it is set (as in `npm test`'s second pass). The test keeps the database open
 * all along, as a running server would: each CLI run joins the embedded server this file started.
 */
let dataDir: string;
let database: Database;
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "keizoku-cli-test-"));
  database = await openConfiguredDatabase({ ...env(), KEIZOKU_DATA_DIR: dataDir, KEIZOKU_EMBEDDED_DATABASE: "postgres" }, { max: 2 });
});
afterAll(async () => {
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type Run = { code: number | null; stdout: string; stderr: string };

function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", "scripts/cli.ts", ...args], {
      cwd: path.resolve(import.meta.dirname, ".."),
      env: childEnv({ KEIZOKU_DATA_DIR: dataDir, KEIZOKU_EMBEDDED_DATABASE: "postgres" }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const lastLine = (text: string) => text.trimEnd().split("\n").at(-1) ?? "";

/** Reads what the CLI wrote. */
function inspect<T>(read: (db: Database["db"]) => Promise<T>): Promise<T> {
  return read(database.db);
}

describe("npm run cli -- merchant create", () => {
  const email = `cli-${randomUUID()}@example.test`;

  it("creates a merchant on a fresh database and prints the JSON last line", async () => {
    const run = await cli("merchant", "create", "--name", "CLI商店", "--email", email, "--password", "cli-password", "--time-zone", "Asia/Tokyo");
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);

    const line = lastLine(run.stdout);
    expect(line).toMatch(/^\{"merchant_id": "mer_[0-9a-f]{32}", "secret_key": "sk_[0-9A-Za-z]{32}"\}$/);
    const printed = JSON.parse(line) as { merchant_id: string; secret_key: string };

    const stored = await inspect(async (db) => ({
      merchant: (await db.select().from(merchants).where(eq(merchants.id, printed.merchant_id)))[0],
      keys: await db.select().from(apiKeys).where(eq(apiKeys.merchantId, printed.merchant_id)),
      staff: await db.select().from(staffUsers).where(eq(staffUsers.email, email)),
    }));
    expect(stored.merchant).toMatchObject({ name: "CLI商店", email, timeZone: "Asia/Tokyo" });
    expect(stored.keys.map((k) => k.keyHash)).toEqual([hashSecretKey(printed.secret_key)]);
    expect(stored.staff).toHaveLength(1);
  });

  it("exits 2 when the email is taken, printing no JSON", async () => {
    const run = await cli("merchant", "create", "--name", "二重登録", "--email", email, "--password", "another-password");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/already exists/);
    expect(run.stdout).not.toMatch(/merchant_id/);
    const staff = await inspect((db) => db.select().from(staffUsers).where(eq(staffUsers.email, email)));
    expect(staff).toHaveLength(1);
    const named = await inspect((db) => db.select().from(merchants).where(eq(merchants.name, "二重登録")));
    expect(named).toHaveLength(0);
  });

  it.each([
    { label: "a bad email", args: ["--email", "not-an-email", "--password", "long-enough"], message: /email/ },
    { label: "a short password", args: ["--email", `short-${randomUUID()}@example.test`, "--password", "short"], message: /password/ },
    { label: "an unknown time zone", args: ["--email", `tz-${randomUUID()}@example.test`, "--password", "long-enough", "--time-zone", "Mars/Olympus"], message: /time zone/i },
    { label: "a missing option", args: ["--email", `missing-${randomUUID()}@example.test`], message: /--password/ },
    { label: "an unknown option", args: ["--email", `unknown-${randomUUID()}@example.test`, "--password", "long-enough", "--colour", "red"], message: /--colour/ },
  ])("exits 2 on $label and writes nothing", async ({ args, message }) => {
    const name = `bad-${randomUUID()}`;
    const run = await cli("merchant", "create", "--name", name, ...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).not.toMatch(/merchant_id/);
    const named = await inspect((db) => db.select().from(merchants).where(eq(merchants.name, name)));
    expect(named).toHaveLength(0);
  });
});
