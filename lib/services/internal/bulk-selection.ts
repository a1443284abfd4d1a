import type { ServiceContext } from "../context";
import { type BulkSelection, type SubscriptionFilters, subscriptionIdsMatching } from "../queries/subscription-search";

/** Contracts per batch when a selection is read (ids checked, preview facts, items added). */
export const SELECTION_BATCH = 5_000;

/** The contract ids a bulk selection names, in batches in its order: the ids as picked, or every contract matching the search now. */
export async function* selectedContractIds(ctx: Pick<ServiceContext, "db" | "merchantId" | "clock">, selection: BulkSelection): AsyncGenerator<string[]> {
  if (selection.type === "search") {
    yield* matchingContractIds(ctx, selection.filters);
    return;
  }
  for (let start = 0; start < selection.ids.length; start += SELECTION_BATCH) yield selection.ids.slice(start, start + SELECTION_BATCH);
}

/** Every contract matching a search of the contracts workspace now, in the workspace's query builder's keyset order. */
export async function* matchingContractIds(ctx: Pick<ServiceContext, "db" | "merchantId" | "clock">, filters: SubscriptionFilters): AsyncGenerator<string[]> {
  yield* subscriptionIdsMatching(ctx, filters, { batchSize: SELECTION_BATCH });
}
