import { z } from "zod";
import { subscriptionSearch } from "./queries/subscription-search-schema";

/**
 * What a saved search (保存した検索条件) keeps: the contracts workspace's filters, sort and page size, never the page
 * (applying one starts at page 1). Validated with the workspace's own schema, so that applying it is applying a URL.
 */
export const savedSearchBody = subscriptionSearch.omit({ page: true });
export type SavedSearchBody = z.infer<typeof savedSearchBody>;

export const savedSearchName = z.string().trim().min(1).max(60);
