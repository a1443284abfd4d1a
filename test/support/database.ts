import { readFile } from "node:fs/promises";
import { inject } from "vitest";
import { migrateDatabase, openDatabase, type Database } from "@/db/client";

/**
 * A migrated database for a test file: the PostgreSQL database named by DATABASE_URL (scripts/test.ts names a fresh
 * one per run, which test/global-setup.ts makes from a migrated template), or an in-memory PGlite loaded from the
 * migrated data directory that the global setup dumped. Tests scope their data by their own merchant.
 */
export async function openTestDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (url) return openDatabase({ url, max: 10 });
  const template = inject("keizokuPgliteTemplate");
  if (template) return openDatabase({ dataDir: "memory://", loadDataDir: new Blob([await readFile(template)]) });
  // Without the global setup (another vitest config): migrate a fresh one.
  const database = await openDatabase({ dataDir: "memory://" });
  await migrateDatabase(database);
  return database;
}

/** A name for a database of a test's own, unique across the run's processes. */
export function scratchDatabaseName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
}

/**
 * Creates a database of a test's own on DATABASE_URL's server as a copy of the run's migrated template (see
 * test/global-setup.ts), or, without the template, creates and migrates it. Resolves to its URL.
 */
export async function createDatabaseFromTemplate(admin: Database, baseUrl: string, name: string): Promise<string> {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const template = inject("keizokuTemplateDatabase");
  if (template) {
    await admin.query(`create database "${name}" template "${template}"`);
    return url.toString();
  }
  await admin.query(`create database "${name}"`);
  const database = await openDatabase({ url: url.toString(), max: 1 });
  try {
    await migrateDatabase(database);
  } finally {
    await database.close();
  }
  return url.toString();
}
