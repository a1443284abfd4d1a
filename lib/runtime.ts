import path from "node:path";
import { migrateDatabase, openDatabase, type Database, type OpenOptions } from "@/db/client";
import { env, type Env } from "@/lib/env";

/**
 * Where the product's data lives: PostgreSQL when DATABASE_URL is set, otherwise the embedded PGlite in
 * KEIZOKU_DATA_DIR (relative to the working directory; `.data/` by default). The server, the CLI and
 * `npm start` all decide it here.
 */
export function configuredDatabaseOptions(e: Env = env()): OpenOptions {
  if (e.DATABASE_URL) return { url: e.DATABASE_URL };
  return { dataDir: path.resolve(e.KEIZOKU_DATA_DIR) };
}

/** Opens the configured database and applies the committed migrations. The caller closes it. */
export async function openConfiguredDatabase(e: Env = env()): Promise<Database> {
  const database = await openDatabase(configuredDatabaseOptions(e));
  try {
    await migrateDatabase(database);
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
  return database;
}

const holder = globalThis as typeof globalThis & { __keizokuDatabase?: Promise<Database> };

/**
 * The server's one database, opened and migrated on first use and kept for the life of the process.
 * Cached on globalThis so that dev-mode hot reloads, which re-evaluate this module, reuse it (a second
 * PGlite on the same directory would fail). A failed open is not cached: the next request tries again.
 */
export function getDatabase(): Promise<Database> {
  if (!holder.__keizokuDatabase) {
    const opening = openConfiguredDatabase();
    holder.__keizokuDatabase = opening;
    opening.catch(() => {
      if (holder.__keizokuDatabase === opening) holder.__keizokuDatabase = undefined;
    });
  }
  return holder.__keizokuDatabase;
}

/** How the status pages name a database kind. */
export function databaseKindLabel(kind: Database["kind"]): string {
  return kind === "pglite" ? "埋め込み PGlite" : "PostgreSQL";
}
