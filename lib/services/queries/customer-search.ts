import { z } from "zod";
import { PAGE_SIZES } from "./subscription-search";

/**
 * The customers page's search (/console/customers): what its URL holds. Apart from the query (customers.ts) so that
 * the page's client components can share it without the database.
 */
export const CUSTOMER_SORTS = ["newest", "name"] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

/** What /console/customers' URL holds (its nuqs parsers read into this). */
export const customerSearch = z.object({
  /** Name or email (any part, every word), or a customer id (whole). */
  q: z.string().max(200).default(""),
  sort: z.enum(CUSTOMER_SORTS).default("newest"),
  page: z.number().int().min(1).max(1_000_000).default(1),
  perPage: z.literal(PAGE_SIZES).default(PAGE_SIZES[0]),
});
export type CustomerSearch = z.infer<typeof customerSearch>;
