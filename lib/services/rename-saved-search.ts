import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { savedSearches } from "@/db/schema";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { nameTaken } from "./create-saved-search";
import { notFound, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";
import { savedSearchName } from "./saved-search-input";

export const renameSavedSearchInput = z.object({ id: z.string().min(1).max(100), name: savedSearchName });

/** Renames one of the team's saved searches (see createSavedSearch for who may). */
export async function renameSavedSearch(ctx: ServiceContext, input: z.input<typeof renameSavedSearchInput>) {
  const data = parseInput(renameSavedSearchInput, input);
  authorize(ctx.actor, "contracts.operate");
  return ctx.db.transaction(async (tx) => {
    const [other] = await tx
      .select({ id: savedSearches.id })
      .from(savedSearches)
      .where(and(eq(savedSearches.merchantId, ctx.merchantId), eq(savedSearches.name, data.name), ne(savedSearches.id, data.id)));
    if (other) throw nameTaken(data.name);
    const now = ctx.clock.now();
    const [row] = await tx
      .update(savedSearches)
      .set({ name: data.name, updatedAt: now })
      .where(and(eq(savedSearches.id, data.id), eq(savedSearches.merchantId, ctx.merchantId)))
      .returning();
    if (!row) throw notFound("saved search", data.id, "id");
    await recordAudit(tx, ctx, { action: "saved_search.renamed", targetType: "saved_search", targetId: row.id, data: { name: row.name }, at: now });
    return row;
  });
}
