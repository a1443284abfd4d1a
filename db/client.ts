import path from "node:path";
import { mkdirSync } from "node:fs";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";

export type Schema = typeof schema;
/** A drizzle database or transaction, whichever driver is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type Database = {
  db: Db;
  kind: "pglite" | "postgres";
  url?: string;
  /** Runs raw SQL and returns its rows, on either driver (benchmarks and operator tools). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
};

export type OpenOptions = {
  /** postgres:// URL; PGlite when absent. */
  url?: string;
  /** PGlite data directory, or "memory://" for a throwaway database. */
  dataDir?: string;
  /** PGlite: start from this dump of a data directory (PGlite's dumpDataDir) instead of an empty database. */
  loadDataDir?: Blob;
  /** Connections in the postgres pool. */
  max?: number;
  /**
   * Prepare every drizzle statement on PostgreSQL (default true). Turn it off only behind a pooler that cannot
   * keep named prepared statements per client (PgBouncer in transaction mode before 1.21).
   */
  prepare?: boolean;
};

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.url) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    // drizzle replaces its client's date parsers, so raw queries get a client of their own.
    const client = postgres(options.url, { max: options.max ?? 10, onnotice: () => {} });
    const raw = postgres(options.url, { max: 2, onnotice: () => {} });
    return {
      db: drizzle(options.prepare === false ? client : preparingAll(client), { schema }) as unknown as Db,
      kind: "postgres",
      url: options.url,
      query: async (text, params = []) => (await raw.unsafe(text, params as never[])) as never,
      close: async () => {
        await Promise.all([client.end({ timeout: 5 }), raw.end({ timeout: 5 })]);
      },
    };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const dataDir = options.dataDir ?? "memory://";
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const client = new PGlite(dataDir, options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
  await client.waitReady;
  return {
    db: drizzle(client, { schema }) as unknown as Db,
    kind: "pglite",
    query: async (text, params = []) => (await client.query(text, params)).rows as never,
    close: () => client.close(),
  };
}

const MAX_PREPARED_PARAMS = 64;

type PostgresClient = import("postgres").Sql | import("postgres").TransactionSql;
type TransactionScope = (...args: unknown[]) => Promise<unknown>;

/**
 * drizzle asks postgres-js to prepare only queries built with `.prepare(name)`. Any other query with parameters
 * costs two round trips (Parse/Describe, then Bind/Execute) and a fresh parse and plan on the server, every time.
 * Our statements are a small fixed set of texts (values always go as parameters), so this view of the client
 * prepares every one, once per connection, transactions and savepoints included: per bill-run renewal that halves
 * the round trips and the server's CPU. Statements without parameters (BEGIN, migrations) still go as simple queries.
 */
function preparingAll<T extends PostgresClient>(client: T): T {
  const inScope =
    (open: TransactionScope) =>
    (...args: unknown[]) => {
      const body = args.pop() as (scoped: PostgresClient) => unknown;
      return open(...args, (scoped: PostgresClient) => body(preparingAll(scoped)));
    };
  return new Proxy(client, {
    get(target, property, receiver) {
      switch (property) {
        case "unsafe":
          // A statement with many parameters is a multi-row one whose text changes with its row count: parsed each
          // time instead of filling the connection's statement cache with one entry per count.
          return (text: string, params?: unknown[], options?: object) =>
            target.unsafe(text, params as never, { ...options, prepare: (params?.length ?? 0) <= MAX_PREPARED_PARAMS });
        case "begin":
        case "savepoint": {
          const open: unknown = Reflect.get(target, property, receiver);
          return typeof open === "function" ? inScope(open as TransactionScope) : open;
        }
        default:
          return Reflect.get(target, property, receiver);
      }
    },
  });
}

/** Applies the committed SQL migrations; an advisory lock lets several processes start at once. */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(database.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const { default: postgres } = await import("postgres");
  // A session-level advisory lock needs one connection held for the whole migration.
  const lock = postgres(database.url!, { max: 1, onnotice: () => {} });
  try {
    await lock`select pg_advisory_lock(4242001)`;
    await migrate(database.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    await lock`select pg_advisory_unlock(4242001)`;
  } finally {
    await lock.end({ timeout: 5 });
  }
}
