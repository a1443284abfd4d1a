import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { savedSearches } from "@/db/schema";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { notFound, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";

export const deleteSavedSearchInput = z.object({ id: z.string().min(1).max(100) });

/** Deletes one of the team's saved searches for everyone (see createSavedSearch for who may). */
export async function deleteSavedSearch(ctx: ServiceContext, input: z.input<typeof deleteSavedSearchInput>) {
  const data = parseInput(deleteSavedSearchInput, input);
  authorize(ctx.actor, "contracts.operate");
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .delete(savedSearches)
      .where(and(eq(savedSearches.id, data.id), eq(savedSearches.merchantId, ctx.merchantId)))
      .returning();
    if (!row) throw notFound("saved search", data.id, "id");
    await recordAudit(tx, ctx, { action: "saved_search.deleted", targetType: "saved_search", targetId: row.id, data: { name: row.name }, at: ctx.clock.now() });
    return { id: row.id };
  });
}
