import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Db } from "./client";

/**
 * Updates many rows of one table, each with its own values, in one statement:
 * `update t set c = v.c … from (values …) as v(…) where t.key = v.key [and …]`. drizzle builds one UPDATE per
 * `where`, so a bill run would otherwise pay a round trip per contract. Every row must set the same columns; values
 * go through each column's own encoder and are cast to its SQL type. Returns the keys of the rows it changed.
 */
export async function bulkUpdate<T extends PgTable>(
  tx: Db,
  table: T,
  rows: readonly Record<string, unknown>[],
  options: { key: string; columns: readonly string[]; where?: (target: T) => SQL | undefined },
): Promise<string[]> {
  if (rows.length === 0) return [];
  const all = getTableColumns(table) as Record<string, PgColumn>;
  const pick = (name: string): PgColumn => {
    const column = all[name];
    if (!column) throw new Error(`bulkUpdate: ${name} is not a column of this table`);
    return column;
  };
  const key = pick(options.key);
  const columns = options.columns.map((name) => ({ name, column: pick(name) }));
  const valueColumns = [{ name: options.key, column: key }, ...columns];
  const tuple = (row: Record<string, unknown>) =>
    sql`(${sql.join(
      valueColumns.map(({ name, column }) => {
        const value = row[name];
        const encoded = value === null || value === undefined ? null : column.mapToDriverValue(value);
        return sql`${encoded}::${sql.raw(column.getSQLType())}`;
      }),
      sql`, `,
    )})`;
  const names = sql.join(valueColumns.map(({ column }) => sql.identifier(column.name)), sql`, `);
  const assignments = sql.join(columns.map(({ column }) => sql`${sql.identifier(column.name)} = v.${sql.identifier(column.name)}`), sql`, `);
  const extra = options.where?.(table);
  const changed = await tx.execute<{ key: string }>(sql`
    update ${table} set ${assignments}
    from (values ${sql.join(rows.map(tuple), sql`, `)}) as v(${names})
    where ${key} = v.${sql.identifier(key.name)}${extra ? sql` and ${extra}` : sql``}
    returning ${key} as key`);
  return rowsOf<{ key: string }>(changed).map((r) => r.key);
}

/** `tx.execute` answers with the rows themselves on postgres-js and with `{ rows }` on PGlite. */
export function rowsOf<R>(result: unknown): R[] {
  return (Array.isArray(result) ? result : (result as { rows: R[] }).rows) as R[];
}
