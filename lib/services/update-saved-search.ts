import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { savedSearches } from "@/db/schema";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { notFound, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";
import { savedSearchBody } from "./saved-search-input";

export const updateSavedSearchInput = z.object({ id: z.string().min(1).max(100), search: savedSearchBody });

/** Replaces what one of the team's saved searches looks for with the search on screen (see createSavedSearch for who may). */
export async function updateSavedSearch(ctx: ServiceContext, input: z.input<typeof updateSavedSearchInput>) {
  const data = parseInput(updateSavedSearchInput, input);
  authorize(ctx.actor, "contracts.operate");
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const [row] = await tx
      .update(savedSearches)
      .set({ search: data.search, updatedAt: now })
      .where(and(eq(savedSearches.id, data.id), eq(savedSearches.merchantId, ctx.merchantId)))
      .returning();
    if (!row) throw notFound("saved search", data.id, "id");
    await recordAudit(tx, ctx, { action: "saved_search.updated", targetType: "saved_search", targetId: row.id, data: { search: row.search }, at: now });
    return row;
  });
}
