import { z } from "zod";
import type { Page } from "@/lib/services/queries/page";

/** limit (1–100, default 10) and starting_after, as every list takes them. */
export const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(10),
  starting_after: z.string().min(1).max(100).optional(),
});

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ object: z.literal("list"), data: z.array(item), has_more: z.boolean() });
}

export function toList<Row, Out>(page: Page<Row>, serialize: (row: Row) => Out) {
  return { object: "list" as const, data: page.rows.map(serialize), has_more: page.hasMore };
}

export const iso = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);
export const timestamp = z.iso.datetime().describe("ISO 8601 time, UTC");
