import { z } from "zod";
import { savedSearches } from "@/db/schema";
import { newId } from "@/lib/ids";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { conflict, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";
import { savedSearchBody, savedSearchName } from "./saved-search-input";

export const createSavedSearchInput = z.object({ name: savedSearchName, search: savedSearchBody });

/**
 * Saves a contracts search under a name for the whole team. Saved searches are contract work: staff who may operate
 * on contracts (owner, admin, operator) create, rename, update and delete them; viewers list and apply them.
 */
export async function createSavedSearch(ctx: ServiceContext, input: z.input<typeof createSavedSearchInput>) {
  const data = parseInput(createSavedSearchInput, input);
  authorize(ctx.actor, "contracts.operate");
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const [row] = await tx
      .insert(savedSearches)
      .values({ id: newId("srch"), merchantId: ctx.merchantId, name: data.name, search: data.search, createdBy: ctx.actor.type === "staff" ? ctx.actor.id : null, createdAt: now, updatedAt: now })
      .onConflictDoNothing({ target: [savedSearches.merchantId, savedSearches.name] })
      .returning();
    if (!row) throw nameTaken(data.name);
    await recordAudit(tx, ctx, { action: "saved_search.created", targetType: "saved_search", targetId: row.id, data: { name: row.name, search: row.search }, at: now });
    return row;
  });
}

export const nameTaken = (name: string) => conflict(`A saved search named '${name}' exists already`, "saved_search_name_taken");
