import { desc, lt, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/** Cursor paging over time-ordered ids: newest first, one row more than asked to tell if there is more. */
export type PageRequest = { limit: number; startingAfter?: string | null };
export type Page<T> = { rows: T[]; hasMore: boolean };

export function pageConditions(idColumn: PgColumn, request: PageRequest): { cursor: SQL | undefined; order: SQL; take: number } {
  return { cursor: request.startingAfter ? lt(idColumn, request.startingAfter) : undefined, order: desc(idColumn), take: request.limit + 1 };
}

export function toPage<T>(rows: T[], request: PageRequest): Page<T> {
  return { rows: rows.slice(0, request.limit), hasMore: rows.length > request.limit };
}
