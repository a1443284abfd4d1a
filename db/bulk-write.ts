import { getTableColumns, inArray, sql, type SQL } from "drizzle-orm";
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

/**
 * `jsonb_to_recordset($1) as v("jsKey" type, …)` for these rows. The record's fields are named by the rows' own
 * (JS) keys, so the rows are serialized as they are, without a copy per row; keys not listed are ignored.
 */
function recordset(rows: readonly object[], columns: readonly { name: string; column: PgColumn }[]): SQL {
  const shape = sql.join(
    columns.map(({ name, column }) => sql`${sql.identifier(name)} ${sql.raw(column.getSQLType())}`),
    sql`, `,
  );
  // Only the listed keys travel, unless a jsonb value is among them (a key list would filter inside it too).
  const keys = columns.some(({ column }) => column.getSQLType().startsWith("json")) ? undefined : columns.map(({ name }) => name);
  return sql`jsonb_to_recordset(${JSON.stringify(rows, keys)}::jsonb) as v(${shape})`;
}

/** `column in (…ids)` with the ids as one JSON parameter: for lists long enough that a parameter each costs more. */
export function inList(column: PgColumn, ids: readonly string[]): SQL {
  return ids.length <= 8 ? inArray(column, [...ids]) : sql`${column} in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;
}

/** A row as the driver returned it, in JS shape, each column through its own decoder. */
function decodeColumns(columns: readonly { name: string; column: PgColumn }[], raw: Record<string, unknown>): Record<string, unknown> {
  const decoded: Record<string, unknown> = {};
  for (const { name, column } of columns) {
    const value = raw[column.name];
    decoded[name] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return decoded;
}

/** `tx.execute` answers with the rows themselves on postgres-js and with `{ rows }` on PGlite. */
export function rowsOf<R>(result: unknown): R[] {
  return (Array.isArray(result) ? result : (result as { rows: R[] }).rows) as R[];
}

/**
 * Inserts rows (all with the same keys) in one statement. `onConflict` is the statement's ON CONFLICT clause, if
 * any; `returning` names the columns to return, decoded, for the inserted rows (rows skipped by the conflict clause
 * do not come back).
 */
export async function bulkInsert<T extends PgTable, K extends keyof T["$inferSelect"] & string = never>(
  tx: Db,
  table: T,
  rows: readonly Partial<T["$inferInsert"]>[],
  options: { onConflict?: SQL; returning?: readonly K[] } = {},
): Promise<Pick<T["$inferSelect"], K>[]> {
  if (rows.length === 0) return [];
  const columns = columnsOf(table, Object.keys(rows[0]!));
  const names = sql.join(columns.map(({ column }) => sql.identifier(column.name)), sql`, `);
  const fields = sql.join(columns.map(({ name }) => sql`v.${sql.identifier(name)}`), sql`, `);
  const returned = options.returning ? columnsOf(table, options.returning) : [];
  const result = await tx.execute(sql`
    insert into ${table} (${names})
    select ${fields} from ${recordset(rows, columns)}
    ${options.onConflict ?? sql``}
    ${returned.length ? sql`returning ${sql.join(returned.map(({ column }) => sql.identifier(column.name)), sql`, `)}` : sql``}`);
  return returned.length ? rowsOf<Record<string, unknown>>(result).map((raw) => decodeColumns(returned, raw) as Pick<T["$inferSelect"], K>) : [];
}

/**
 * Updates many rows, each with its own values, in one statement (drizzle builds one UPDATE per `where`): sets
 * `columns` from each row, matched on `key`, where `where` (if given) also holds. Returns the keys it changed.
 */
export async function bulkUpdate<T extends PgTable>(
  tx: Db,
  table: T,
  rows: readonly object[],
  options: { key: string; columns: readonly string[]; where?: (target: T) => SQL | undefined },
): Promise<string[]> {
  if (rows.length === 0) return [];
  const [key, ...columns] = columnsOf(table, [options.key, ...options.columns]);
  const assignments = sql.join(columns.map(({ name, column }) => sql`${sql.identifier(column.name)} = v.${sql.identifier(name)}`), sql`, `);
  const extra = options.where?.(table);
  const changed = await tx.execute(sql`
    update ${table} set ${assignments}
    from ${recordset(rows, [key!, ...columns])}
    where ${key!.column} = v.${sql.identifier(key!.name)}${extra ? sql` and ${extra}` : sql``}
    returning ${key!.column} as key`);
  return rowsOf<{ key: string }>(changed).map((r) => r.key);
}
