import { and, asc, eq, gt } from "drizzle-orm";
import { inList } from "@/db/bulk-write";
import { subscriptions } from "@/db/schema";
import type { ServiceContext } from "../context";
import { invalid } from "../errors";
import type { BulkSelection, SubscriptionFilters } from "../queries/subscription-search";

/** Contracts per batch when a selection is read (ids checked, preview facts, items added). */
export const SELECTION_BATCH = 5_000;

/** The contract ids a bulk selection names, in batches in its order: the ids as picked, or every contract matching the search now. */
export async function* selectedContractIds(ctx: Pick<ServiceContext, "db" | "merchantId">, selection: BulkSelection): AsyncGenerator<string[]> {
  if (selection.type === "search") {
    yield* matchingContractIds(ctx, selection.filters);
    return;
  }
  for (let start = 0; start < selection.ids.length; start += SELECTION_BATCH) yield selection.ids.slice(start, start + SELECTION_BATCH);
}

/**
 * INTEGRATION POINT — the contracts matching a search of the contracts workspace, as batches of ids in the search's
 * order. The workspace's query builder (`subscriptionIdsMatching(ctx, filters)` in queries/subscription-search.ts,
 * written beside the contracts page) replaces this body after the merge:
 *
 *   yield* subscriptionIdsMatching(ctx, filters);
 *
 * Until then only the status filter is read here (what the bulk-job tests use); any other filter is refused rather
 * than ignored, so that a job never runs over more contracts than the search shows.
 */
export async function* matchingContractIds(ctx: Pick<ServiceContext, "db" | "merchantId">, filters: SubscriptionFilters): AsyncGenerator<string[]> {
  const others = Object.entries(filters).filter(([key, value]) => key !== "status" && value !== null && value !== undefined && value !== "");
  if (others.length > 0) throw invalid(`Selecting all matching contracts by ${others.map(([key]) => key).join(", ")} is not available yet`, "selection.filters");
  let after = "";
  for (;;) {
    const rows = await ctx.db
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .where(and(eq(subscriptions.merchantId, ctx.merchantId), filters.status.length > 0 ? inList(subscriptions.status, filters.status) : undefined, gt(subscriptions.id, after)))
      .orderBy(asc(subscriptions.id))
      .limit(SELECTION_BATCH);
    if (rows.length === 0) return;
    yield rows.map((r) => r.id);
    after = rows.at(-1)!.id;
  }
}
