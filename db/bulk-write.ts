import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Db } from "./client";

/**
 * Multi-row writes that cost one parameter whatever the row count. drizzle's `.values(rows)` turns every value of
 * every row into a parameter and walks them all to build the statement: for a bill run's batches that building was a
 * fifth of the Node time. Here the rows travel as one JSON document, read back by `jsonb_to_recordset` with each
 * column's SQL type, so the statement text depends only on the table and columns (and is prepared once per
 * connection). Values are JSON-encoded as they are (Dates as ISO instants); jsonb columns keep their objects.
 */

type Columns = Record<string, PgColumn>;

function columnsOf(table: PgTable, names: readonly string[]): { name: string; column: PgColumn }[] {
  const all = getTableColumns(table) as Columns;
  return names.map((name) => {
    const column = all[name];
    if (!column) throw new Error(`bulk write: ${name} is not a column of this table`);
    return { name, column };
  });
}

/** `jsonb_to_recordset($1) as v(col type, …)` for these rows. */
function recordset(rows: readonly Record<string, unknown>[], columns: readonly { name: string; column: PgColumn }[]): SQL {
  const json = JSON.stringify(rows.map((row) => Object.fromEntries(columns.map(({ name, column }) => [column.name, row[name] ?? null]))));
  const shape = sql.join(
    columns.map(({ column }) => sql`${sql.identifier(column.name)} ${sql.raw(column.getSQLType())}`),
    sql`, `,
  );
  return sql`jsonb_to_recordset(${json}::jsonb) as v(${shape})`;
}

/** Turns a row as the driver returned it into the table's JS shape, with each column's own decoder. */
export function decodeRow<T extends PgTable>(table: T, raw: Record<string, unknown>): T["$inferSelect"] {
  const decoded: Record<string, unknown> = {};
  for (const [name, column] of Object.entries(getTableColumns(table) as Columns)) {
    const value = raw[column.name];
    decoded[name] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return decoded as T["$inferSelect"];
}

/** `tx.execute` answers with the rows themselves on postgres-js and with `{ rows }` on PGlite. */
export function rowsOf<R>(result: unknown): R[] {
  return (Array.isArray(result) ? result : (result as { rows: R[] }).rows) as R[];
}

/**
 * Inserts rows (all with the same keys) in one statement. `onConflict` is the statement's ON CONFLICT clause, if
 * any; with `returning` the inserted rows come back decoded (rows skipped by the conflict clause do not).
 */
export async function bulkInsert<T extends PgTable>(
  tx: Db,
  table: T,
  rows: readonly Partial<T["$inferInsert"]>[],
  options: { onConflict?: SQL; returning?: boolean } = {},
): Promise<T["$inferSelect"][]> {
  if (rows.length === 0) return [];
  const columns = columnsOf(table, Object.keys(rows[0]!));
  const names = sql.join(columns.map(({ column }) => sql.identifier(column.name)), sql`, `);
  const result = await tx.execute(sql`
    insert into ${table} (${names})
    select ${names} from ${recordset(rows as Record<string, unknown>[], columns)}
    ${options.onConflict ?? sql``}
    ${options.returning ? sql`returning *` : sql``}`);
  return options.returning ? rowsOf<Record<string, unknown>>(result).map((raw) => decodeRow(table, raw)) : [];
}

/**
 * Updates many rows, each with its own values, in one statement (drizzle builds one UPDATE per `where`): sets
 * `columns` from each row, matched on `key`, where `where` (if given) also holds. Returns the keys it changed.
 */
export async function bulkUpdate<T extends PgTable>(
  tx: Db,
  table: T,
  rows: readonly Record<string, unknown>[],
  options: { key: string; columns: readonly string[]; where?: (target: T) => SQL | undefined },
): Promise<string[]> {
  if (rows.length === 0) return [];
  const [key, ...columns] = columnsOf(table, [options.key, ...options.columns]);
  const assignments = sql.join(columns.map(({ column }) => sql`${sql.identifier(column.name)} = v.${sql.identifier(column.name)}`), sql`, `);
  const extra = options.where?.(table);
  const changed = await tx.execute(sql`
    update ${table} set ${assignments}
    from ${recordset(rows, [key!, ...columns])}
    where ${key!.column} = v.${sql.identifier(key!.column.name)}${extra ? sql` and ${extra}` : sql``}
    returning ${key!.column} as key`);
  return rowsOf<{ key: string }>(changed).map((r) => r.key);
}
