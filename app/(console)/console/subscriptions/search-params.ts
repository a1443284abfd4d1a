import { createLoader, createParser, createSerializer, type inferParserType, parseAsArrayOf, parseAsInteger, parseAsNumberLiteral, parseAsString, parseAsStringLiteral } from "nuqs/server";
import { ACTION_KINDS } from "@/lib/billing/scheduled-action";
import { SUBSCRIPTION_STATUSES } from "@/lib/billing/subscription-state";
import { SUBSCRIPTION_COLUMNS } from "@/lib/console/subscription-columns";
import { PAGE_SIZES, SUBSCRIPTION_SORT_COLUMNS, type SubscriptionFiltersInput, type SubscriptionSearch, subscriptionSearch } from "@/lib/services/queries/subscription-search-schema";

/**
 * The contracts workspace's URL: one parser object, read by the server page (loadSearchState) and by the client
 * (useQueryStates in _components/use-search-state.ts), so that both agree on every key. The parsers only shape the
 * strings; the service's zod schema (subscriptionSearch) validates what they give, ranges and calendar dates included.
 */
const localDate = createParser({ parse: (value) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null), serialize: (value: string) => value });

export const searchParsers = {
  status: parseAsArrayOf(parseAsStringLiteral(SUBSCRIPTION_STATUSES)).withDefault([]),
  product: parseAsString,
  plan: parseAsString,
  paidFrom: localDate,
  paidTo: localDate,
  unpaidDays: parseAsInteger,
  next: parseAsStringLiteral(ACTION_KINDS),
  nextFrom: localDate,
  nextTo: localDate,
  card: parseAsStringLiteral(["expiring", "expired"] as const),
  createdFrom: localDate,
  createdTo: localDate,
  amountMin: parseAsInteger,
  amountMax: parseAsInteger,
  clock: parseAsString,
  q: parseAsString,
  sort: parseAsStringLiteral(SUBSCRIPTION_SORT_COLUMNS).withDefault("created_at"),
  order: parseAsStringLiteral(["asc", "desc"] as const).withDefault("desc"),
  page: parseAsInteger.withDefault(1),
  perPage: parseAsNumberLiteral(PAGE_SIZES).withDefault(25),
  /** The columns shown; absent: the default ones. */
  cols: parseAsArrayOf(parseAsStringLiteral(SUBSCRIPTION_COLUMNS)),
};

export type SearchState = inferParserType<typeof searchParsers>;

export const loadSearchState = createLoader(searchParsers);
export const serializeSearchState = createSerializer(searchParsers);

/** The URL's search as the service reads it (not yet validated: see readSearch). */
export function toSearchInput(state: SearchState): Record<string, unknown> {
  return {
    ...toFiltersInput(state),
    sort: state.sort,
    desc: state.order === "desc",
    page: state.page,
    perPage: state.perPage,
  };
}

export function toFiltersInput(state: SearchState): SubscriptionFiltersInput {
  return {
    status: state.status,
    productId: state.product,
    planId: state.plan,
    paidThroughFrom: state.paidFrom,
    paidThroughTo: state.paidTo,
    daysUnpaidMin: state.unpaidDays,
    nextActionKind: state.next,
    nextActionFrom: state.nextFrom,
    nextActionTo: state.nextTo,
    card: state.card,
    createdFrom: state.createdFrom,
    createdTo: state.createdTo,
    amountMin: state.amountMin,
    amountMax: state.amountMax,
    testClock: state.clock,
    q: state.q,
  };
}

/** The URL keys of a search (a saved search or a preset being applied): everything else back to its default. */
export function fromSearch(search: Partial<SubscriptionSearch>): Partial<SearchState> {
  return {
    status: search.status ?? [],
    product: search.productId ?? null,
    plan: search.planId ?? null,
    paidFrom: search.paidThroughFrom ?? null,
    paidTo: search.paidThroughTo ?? null,
    unpaidDays: search.daysUnpaidMin ?? null,
    next: search.nextActionKind ?? null,
    nextFrom: search.nextActionFrom ?? null,
    nextTo: search.nextActionTo ?? null,
    card: search.card ?? null,
    createdFrom: search.createdFrom ?? null,
    createdTo: search.createdTo ?? null,
    amountMin: search.amountMin ?? null,
    amountMax: search.amountMax ?? null,
    clock: search.testClock ?? null,
    q: search.q ?? null,
    sort: search.sort ?? "created_at",
    order: (search.desc ?? true) ? "desc" : "asc",
    perPage: search.perPage ?? 25,
    page: 1,
  };
}

/** The URL's search validated by the service's schema: the search, or the fields that are wrong. */
export function readSearch(state: SearchState): { ok: true; search: SubscriptionSearch } | { ok: false; fields: string[] } {
  const parsed = subscriptionSearch.safeParse(toSearchInput(state));
  if (parsed.success) return { ok: true, search: parsed.data };
  return { ok: false, fields: [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))] };
}

/** What identifies the search's matches: a change here clears the selection (sort, page and columns do not). */
export const filtersKey = (state: SearchState) => JSON.stringify(toFiltersInput(state));
