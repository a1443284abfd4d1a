import { migrateDatabase, openDatabase, type Database } from "@/db/client";

/**
 * A migrated database for a test file: the PostgreSQL server named by DATABASE_URL (scripts/test.ts makes a
 * fresh database per run), or a throwaway in-memory PGlite. Tests scope their data by their own merchant.
 */
export async function openTestDatabase(): Promise<Database> {
  const database = await openDatabase({ url: process.env.DATABASE_URL, dataDir: "memory://", max: 10 });
  await migrateDatabase(database);
  return database;
}
