/**
 * `npm test`: the whole suite, ending with one plain line "N passed, N failed".
 *   1. vitest on the embedded PGlite (DATABASE_URL unset);
 *   2. vitest again on a fresh PostgreSQL database `keizoku_test_<timestamp>_<pid>`, created on
 *      TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres) and dropped afterwards;
 *   3. `next build`, then the Playwright browser tests against `next start` on a fresh PGlite directory.
 * Exits non-zero when anything failed or could not run.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { childEnv, env } from "@/lib/env";
import { ROOT, exitCodeOf, nextBuild } from "./lib/next";

type Tally = { passed: number; failed: number; notes: string[] };
const steps: { name: string; tally: Tally }[] = [];
const scratch = mkdtempSync(path.join(tmpdir(), "keizoku-test-run-"));
const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);
const log = (line: string) => process.stdout.write(`\n▶ ${line}\n`);

// Ctrl-C reaches the children through the terminal; a SIGTERM to this process alone is passed on.
// Either way the steps below end, the test database is dropped, and the run exits non-zero.
let interrupted = false;
let running: ReturnType<typeof spawn> | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    interrupted = true;
    if (running && running.exitCode === null) running.kill(signal);
  });
}

async function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  running = spawn(command, args, { cwd: ROOT, env, stdio: "inherit" });
  try {
    return await exitCodeOf(running);
  } finally {
    running = undefined;
  }
}

function readJson<T>(file: string): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

type VitestReport = {
  numPassedTests: number;
  numFailedTests: number;
  testResults: { name: string; status: string; message?: string; assertionResults: { status: string }[] }[];
};

async function vitest(name: string, env: NodeJS.ProcessEnv): Promise<Tally> {
  const outputFile = path.join(scratch, `vitest-${steps.length}.json`);
  const code = await run(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${outputFile}`], env);
  const report = readJson<VitestReport>(outputFile);
  if (!report) return { passed: 0, failed: 1, notes: [`${name}: vitest wrote no report (exit ${code})`] };
  // A test file that fails before any test runs (import or setup error) counts as one failure.
  const brokenFiles = report.testResults.filter((file) => file.status === "failed" && !file.assertionResults.some((a) => a.status === "failed"));
  const tally: Tally = { passed: report.numPassedTests, failed: report.numFailedTests + brokenFiles.length, notes: [] };
  for (const file of brokenFiles) tally.notes.push(`${name}: ${path.relative(ROOT, file.name)} failed to run`);
  if (code !== 0 && tally.failed === 0) {
    tally.failed = 1;
    tally.notes.push(`${name}: vitest exited ${code} (errors outside tests)`);
  }
  return tally;
}

/** Drops test databases that crashed runs left behind (older than six hours: others may be running now). */
async function dropStaleTestDatabases(admin: postgres.Sql): Promise<void> {
  const rows = await admin<{ datname: string }[]>`select datname from pg_database where datname ~ '^keizoku_test_[0-9]+_[0-9]+$'`;
  for (const { datname } of rows) {
    const createdAt = Number(datname.split("_")[2]);
    if (createdAt < Date.now() - 6 * 3600_000) await admin.unsafe(`drop database if exists "${datname}" with (force)`).catch(() => {});
  }
}

async function vitestOnPostgres(): Promise<Tally> {
  const baseUrl = env().TEST_POSTGRES_URL;
  const dbName = `keizoku_test_${Date.now()}_${process.pid}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    try {
      await dropStaleTestDatabases(admin);
      await admin.unsafe(`create database "${dbName}"`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`Cannot create the test database on ${redact(baseUrl)}: ${message}\n`);
      return { passed: 0, failed: 1, notes: [`PostgreSQL: cannot create ${dbName} on ${redact(baseUrl)} (${message})`] };
    }
    const url = new URL(baseUrl);
    url.pathname = `/${dbName}`;
    process.stdout.write(`Database ${dbName} on ${redact(baseUrl)}\n`);
    try {
      return await vitest("vitest on PostgreSQL", childEnv({ DATABASE_URL: url.toString() }));
    } finally {
      await admin.unsafe(`drop database if exists "${dbName}" with (force)`).catch((error: unknown) => {
        process.stderr.write(`Could not drop ${dbName}: ${error instanceof Error ? error.message : String(error)}\n`);
      });
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

type PlaywrightReport = { stats: { expected: number; unexpected: number; flaky: number; skipped: number }; errors: { message?: string }[] };

async function buildAndBrowserTests(): Promise<Tally> {
  // The browser tests run on the embedded PGlite whatever this shell's DATABASE_URL says.
  const buildCode = await nextBuild(childEnv({ DATABASE_URL: undefined }));
  if (buildCode !== 0) return { passed: 0, failed: 1, notes: [`next build failed (exit ${buildCode}); browser tests not run`] };
  if (interrupted) return { passed: 0, failed: 1, notes: ["interrupted"] };

  const dataDir = mkdtempSync(path.join(tmpdir(), "keizoku-e2e-"));
  const outputFile = path.join(scratch, "playwright.json");
  try {
    const port = await freePort();
    const code = await run(
      bin("playwright"),
      ["test", "--reporter=list,json"],
      childEnv({
        DATABASE_URL: undefined,
        KEIZOKU_E2E_PORT: String(port),
        KEIZOKU_E2E_DATA_DIR: dataDir,
        PLAYWRIGHT_JSON_OUTPUT_FILE: outputFile,
      }),
    );
    const report = readJson<PlaywrightReport>(outputFile);
    if (!report) return { passed: 0, failed: 1, notes: [`playwright wrote no report (exit ${code})`] };
    const tally: Tally = { passed: report.stats.expected + report.stats.flaky, failed: report.stats.unexpected, notes: [] };
    if (report.errors.length > 0 && tally.failed === 0) {
      tally.failed = 1;
      tally.notes.push(`playwright: ${report.errors[0]?.message?.split("\n")[0] ?? "error outside tests"}`);
    }
    if (code !== 0 && tally.failed === 0) {
      tally.failed = 1;
      tally.notes.push(`playwright exited ${code}`);
    }
    return tally;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const plan: [string, () => Promise<Tally>][] = [
    ["vitest on PGlite", () => vitest("vitest on PGlite", childEnv({ DATABASE_URL: undefined }))],
    ["vitest on PostgreSQL", vitestOnPostgres],
    ["next build + Playwright", buildAndBrowserTests],
  ];
  for (const [name, step] of plan) {
    if (interrupted) break;
    log(name);
    let tally: Tally;
    try {
      tally = await step();
    } catch (error) {
      tally = { passed: 0, failed: 1, notes: [`${name}: ${error instanceof Error ? error.message : String(error)}`] };
    }
    steps.push({ name, tally });
  }
  rmSync(scratch, { recursive: true, force: true });

  const passed = steps.reduce((sum, s) => sum + s.tally.passed, 0);
  let failed = steps.reduce((sum, s) => sum + s.tally.failed, 0);
  process.stdout.write("\nSummary\n");
  for (const { name, tally } of steps) {
    process.stdout.write(`  ${name.padEnd(24)} passed ${tally.passed}, failed ${tally.failed}\n`);
    for (const note of tally.notes) process.stdout.write(`    ! ${note}\n`);
  }
  if (interrupted) {
    failed = Math.max(failed, 1);
    process.stdout.write("  ! interrupted\n");
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`npm test failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.stdout.write("0 passed, 1 failed\n");
    process.exit(1);
  },
);
