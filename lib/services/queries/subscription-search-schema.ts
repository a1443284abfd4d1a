import { z } from "zod";
import { parseLocalDate } from "@/lib/billing/calendar";
import { ACTION_KINDS } from "@/lib/billing/scheduled-action";
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from "@/lib/billing/subscription-state";

/**
 * The contracts workspace's search (/console/subscriptions): what its URL holds, what a saved search keeps, what a
 * bulk job "for all N matching" and the CSV export run over. One schema for all of them: the page's nuqs parsers and
 * the server loader read the URL into it, the services validate with it.
 *
 * Dates are the merchant's local calendar dates (YYYY-MM-DD, both ends included); amounts are minor units of the
 * plan's currency.
 */
const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD")
  .refine((text) => {
    try {
      parseLocalDate(text);
      return true;
    } catch {
      return false;
    }
  }, "not a date of the calendar");

export const SUBSCRIPTION_SORT_COLUMNS = ["created_at", "paid_through", "status", "customer_name", "amount", "next_action_at", "days_unpaid"] as const;
export type SubscriptionSortColumn = (typeof SUBSCRIPTION_SORT_COLUMNS)[number];
export const PAGE_SIZES = [25, 50, 100] as const;

export const subscriptionFilters = z.object({
  /** Several statuses at once; none means every status. */
  status: z.array(z.enum(SUBSCRIPTION_STATUSES)).max(SUBSCRIPTION_STATUSES.length).default([]),
  productId: z.string().max(100).nullish(),
  planId: z.string().max(100).nullish(),
  paidThroughFrom: localDate.nullish(),
  paidThroughTo: localDate.nullish(),
  /** Days since the paid-through date, for contracts with an overdue invoice (seed 002's 未払い・有効期限からN日以上). */
  daysUnpaidMin: z.number().int().min(0).max(36_500).nullish(),
  nextActionKind: z.enum(ACTION_KINDS).nullish(),
  nextActionFrom: localDate.nullish(),
  nextActionTo: localDate.nullish(),
  /** The card on file expires this calendar month (merchant's time zone), or has expired. */
  card: z.enum(["expiring", "expired"]).nullish(),
  createdFrom: localDate.nullish(),
  createdTo: localDate.nullish(),
  amountMin: z.number().int().min(0).nullish(),
  amountMax: z.number().int().min(0).nullish(),
  /** "live": contracts without a test clock; "test": on any test clock; otherwise one clock's id. */
  testClock: z.string().max(100).nullish(),
  /** Customer name or email (part of), contract id or customer id (whole). */
  q: z.string().trim().max(200).nullish(),
});
export type SubscriptionFilters = z.infer<typeof subscriptionFilters>;
export type SubscriptionFiltersInput = z.input<typeof subscriptionFilters>;

export const subscriptionSearch = subscriptionFilters.extend({
  sort: z.enum(SUBSCRIPTION_SORT_COLUMNS).default("created_at"),
  desc: z.boolean().default(true),
  page: z.number().int().min(1).max(1_000_000).default(1),
  perPage: z.union([z.literal(25), z.literal(50), z.literal(100)]).default(25),
});
export type SubscriptionSearch = z.infer<typeof subscriptionSearch>;

/**
 * Which contracts a bulk job works on: rows picked by id (across pages), or every contract matching a search, taken
 * as an exact set when the job starts (`count` is what the page showed, for the confirmation to compare).
 */
export const bulkSelection = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ids"), ids: z.array(z.string().min(1).max(100)).min(1).max(100_000) }),
  z.object({ type: z.literal("search"), filters: subscriptionFilters, count: z.number().int().min(0) }),
]);
export type BulkSelection = z.infer<typeof bulkSelection>;

/** How many contracts of each status a search's other filters match: the workspace's status tabs. */
export type StatusCounts = Record<SubscriptionStatus, number>;
