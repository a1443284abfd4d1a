import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { migrateDatabase, openDatabase } from "@/db/client";

/**
 * Vitest's global setup: the migrations are applied once per run, and every test database starts as a copy.
 *
 * - PGlite (DATABASE_URL unset): an in-memory PGlite is migrated and its data directory dumped to a tar file; each
 *   test file's openTestDatabase() loads that dump (PGlite's loadDataDir) instead of running initdb and the
 *   migrations again.
 * - PostgreSQL (DATABASE_URL set): a template database `keizoku_template_<time>_<pid>` is created on the same server
 *   and migrated; the database that DATABASE_URL names is created from it when it does not exist yet (`npm test`
 *   names a fresh one), or migrated in place when it does; the databases that tests make for themselves
 *   (openIsolatedTestDatabase, the runner fault tests) are `create database … template` copies of it. The template
 *   is dropped at the end.
 */
declare module "vitest" {
  interface ProvidedContext {
    /** PGlite pass: the tar file of a migrated data directory. */
    keizokuPgliteTemplate: string;
    /** PostgreSQL pass: the migrated template database on DATABASE_URL's server. */
    keizokuTemplateDatabase: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  return url ? setupPostgres(project, url) : setupPglite(project);
}

/** Dumps that interrupted runs left behind (older than six hours: others may be running now). */
function removeStaleDumps(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith("keizoku-pglite-template-")) continue;
    const dir = path.join(tmpdir(), name);
    try {
      if (statSync(dir).mtimeMs < Date.now() - 6 * 3600_000) rmSync(dir, { recursive: true, force: true });
    } catch {
      // gone already
    }
  }
}

async function setupPglite(project: TestProject): Promise<() => Promise<void>> {
  removeStaleDumps();
  const dir = mkdtempSync(path.join(tmpdir(), "keizoku-pglite-template-"));
  const file = path.join(dir, "migrated.tar");
  const database = await openDatabase({ dataDir: "memory://" });
  try {
    await migrateDatabase(database);
    const client = (database.db as unknown as { $client: import("@electric-sql/pglite").PGlite }).$client;
    // Uncompressed: loading a 40 MB tar is faster than gunzipping 5 MB, and it lives only for this run.
    const dump = await client.dumpDataDir("none");
    writeFileSync(file, new Uint8Array(await dump.arrayBuffer()));
  } finally {
    await database.close();
  }
  project.provide("keizokuPgliteTemplate", file);
  return async () => rmSync(dir, { recursive: true, force: true });
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function setupPostgres(project: TestProject, url: string): Promise<() => Promise<void>> {
  const target = decodeURIComponent(new URL(url).pathname.slice(1));
  const template = `keizoku_template_${Date.now()}_${process.pid}`;
  const admin = postgres(withDatabase(url, "postgres"), { max: 1, onnotice: () => {} });
  const migrate = async (name: string) => {
    const database = await openDatabase({ url: withDatabase(url, name), max: 2 });
    try {
      await migrateDatabase(database);
    } finally {
      await database.close();
    }
  };
  let created = false;
  try {
    await admin.unsafe(`create database "${template}"`);
    await migrate(template);
    const [exists] = await admin`select 1 from pg_database where datname = ${target}`;
    if (exists) await migrate(target);
    else {
      await admin.unsafe(`create database "${target}" template "${template}"`);
      created = true;
    }
  } catch (error) {
    await admin.unsafe(`drop database if exists "${template}" with (force)`).catch(() => {});
    await admin.end({ timeout: 5 });
    throw error;
  }
  project.provide("keizokuTemplateDatabase", template);
  return async () => {
    try {
      await admin.unsafe(`drop database if exists "${template}" with (force)`);
      if (created) await admin.unsafe(`drop database if exists "${target}" with (force)`);
    } finally {
      await admin.end({ timeout: 5 });
    }
  };
}
