import { createLoader, createSerializer, parseAsInteger, parseAsNumberLiteral, parseAsString, parseAsStringLiteral } from "nuqs/server";
import { PAGE_SIZES } from "@/lib/services/queries/subscription-search";
import { CUSTOMER_SORTS, type CustomerSearch } from "@/lib/services/queries/customer-search";

/**
 * /console/customers' URL state, one parser object for the server loader (page.tsx), the client hooks (search box,
 * sort and page size) and the pagination links. Defaults stay out of the URL. A value nuqs cannot read (an unknown
 * sort, a page size the console does not offer) falls back to its default.
 */
export const customerSearchParams = {
  q: parseAsString.withDefault(""),
  sort: parseAsStringLiteral(CUSTOMER_SORTS).withDefault("newest"),
  page: parseAsInteger.withDefault(1),
  perPage: parseAsNumberLiteral(PAGE_SIZES).withDefault(PAGE_SIZES[0]),
};

export const loadCustomerSearch = createLoader(customerSearchParams);
export const customerSearchHref = createSerializer(customerSearchParams, { clearOnDefault: true });

/** The URL's state as the query takes it: a page number is kept within range rather than refused. */
export function toCustomerSearch(state: Awaited<ReturnType<typeof loadCustomerSearch>>): CustomerSearch {
  return { q: state.q.slice(0, 200), sort: state.sort, page: Math.min(Math.max(1, state.page), 1_000_000), perPage: state.perPage };
}
