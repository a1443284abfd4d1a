import { asc, eq } from "drizzle-orm";
import { savedSearches } from "@/db/schema";
import type { ServiceContext } from "../context";
import { savedSearchBody, type SavedSearchBody } from "../saved-search-input";

type ReadContext = Pick<ServiceContext, "db" | "merchantId">;

export type SavedSearch = { id: string; name: string; search: SavedSearchBody; updatedAt: Date };

/**
 * The merchant's saved searches by name, for every staff member of the team. A search saved by an older version
 * that no longer reads is read with the defaults for what it lacks; one that cannot be read at all is left out.
 */
export async function listSavedSearches(ctx: ReadContext): Promise<SavedSearch[]> {
  const rows = await ctx.db.select().from(savedSearches).where(eq(savedSearches.merchantId, ctx.merchantId)).orderBy(asc(savedSearches.name));
  return rows.flatMap((row) => {
    const search = savedSearchBody.safeParse(row.search);
    return search.success ? [{ id: row.id, name: row.name, search: search.data, updatedAt: row.updatedAt }] : [];
  });
}
