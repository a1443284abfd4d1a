import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { migrateDatabase, openDatabase, type Database } from "@/db/client";

export type RawRow = Record<string, unknown>;
export type RawQuery = <T = RawRow>(text: string, params?: unknown[]) => Promise<T[]>;

/** Plain SQL beside drizzle: the yardstick the service path is measured against. */
export type RawSql = {
  query: RawQuery;
  transaction<T>(fn: (query: RawQuery) => Promise<T>): Promise<T>;
  /** How many transactions may run side by side on this connection set. */
  maxConcurrency: number;
  close(): Promise<void>;
};

/** A scratch database for one benchmark run, with its drizzle side and its raw side. */
export type BenchDatabase = {
  database: Database;
  raw: RawSql;
  /** "PostgreSQL 15.x (keizoku_bench_123)" or "PGlite (temporary directory)". */
  label: string;
  /** Closes the connections and removes the scratch database; safe to call twice. */
  dispose(): Promise<void>;
};

export type BenchDatabaseOptions = { url?: string; pool: number; prepare: boolean };

export async function openBenchDatabase(options: BenchDatabaseOptions): Promise<BenchDatabase> {
  return options.url ? openScratchPostgres(options.url, options) : openScratchPglite();
}

/**
 * A fresh `keizoku_bench_<pid>` database on the configured server, so that the run sees only its own rows and
 * leaves nothing behind. The raw side gets a `postgres` client of its own: drizzle replaces the date parsers of
 * the client it wraps.
 */
async function openScratchPostgres(baseUrl: string, { pool, prepare }: BenchDatabaseOptions): Promise<BenchDatabase> {
  const name = `keizoku_bench_${process.pid}`;
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  let database: Database | undefined;
  let rawClient: postgres.Sql | undefined;
  let disposed = false;
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    await Promise.allSettled([database?.close(), rawClient?.end({ timeout: 5 })]);
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
  };
  try {
    database = await openDatabase({ url: url.toString(), max: pool, prepare });
    await migrateDatabase(database);
    rawClient = postgres(url.toString(), { max: pool, onnotice: () => {} });
    const [row] = await rawClient.unsafe<{ server_version: string }[]>("show server_version");
    return { database, raw: postgresRaw(rawClient, pool), label: `PostgreSQL ${row?.server_version ?? "?"} (${name})`, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** Every statement as a named prepared statement, as a hand-written data layer would issue it. */
export function postgresRaw(client: postgres.Sql, pool: number): RawSql {
  const prepared =
    (sql: postgres.Sql | postgres.TransactionSql): RawQuery =>
    async <T>(text: string, params: unknown[] = []) =>
      (await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true })) as unknown as T[];
  return {
    query: prepared(client),
    transaction: async <T>(fn: (query: RawQuery) => Promise<T>) => (await client.begin((tx) => fn(prepared(tx)))) as T,
    maxConcurrency: pool,
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * PGlite in a temporary directory rather than in memory, so that the database's pages are files and do not
 * count as this process's memory growing with N. PGlite is one session, so the raw side shares it and runs one
 * transaction at a time.
 */
async function openScratchPglite(): Promise<BenchDatabase> {
  const dir = mkdtempSync(path.join(tmpdir(), "keizoku-bench-"));
  let disposed = false;
  let database: Database | undefined;
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    await database?.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    database = await openDatabase({ dataDir: dir });
    await migrateDatabase(database);
    return { database, raw: pgliteRaw(database), label: `PGlite (${dir})`, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

function pgliteRaw(database: Database): RawSql {
  const query: RawQuery = (text, params = []) => database.query(text, params);
  return {
    query,
    async transaction(fn) {
      // PGlite answers within one chain of microtasks: yield, or no timer (RSS sampling, progress) fires all run long.
      await new Promise((resolve) => setImmediate(resolve));
      await query("begin");
      try {
        const result = await fn(query);
        await query("commit");
        return result;
      } catch (error) {
        await query("rollback");
        throw error;
      }
    },
    maxConcurrency: 1,
    close: async () => {},
  };
}
