import { and, asc, eq, gt, sql } from "drizzle-orm";
import { z } from "zod";
import { inList } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { customers, paymentMethods, plans, products, subscriptions, testClocks } from "@/db/schema";
import { daysBetween, localDateOf, parseLocalDate } from "@/lib/billing/calendar";
import { ACTION_KINDS, type ActionKind } from "@/lib/billing/scheduled-action";
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from "@/lib/billing/subscription-state";
import type { ServiceContext } from "../context";
import { parseInput } from "../errors";
import { countByFor, countContracts, loadScope, matchConditions, pageIds, pageRead, type SearchScope } from "./subscription-search-sql";

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

// ---------------------------------------------------------------------------------------------------------------
// The queries

/** What a search reads with: the merchant's data, and a clock for "today" (days unpaid, this month's card expiry). */
export type SearchContext = Pick<ServiceContext, "db" | "merchantId" | "clock">;

/** One contract as the workspace's table and CSV show it. */
export type SubscriptionSearchRow = {
  id: string;
  customerId: string;
  customerName: string;
  customerEmail: string;
  productId: string;
  productName: string;
  planId: string;
  planName: string | null;
  amount: number;
  currency: string;
  status: SubscriptionStatus;
  /** 有効期限: the end of the paid period. */
  paidThrough: Date | null;
  /** Days since the paid-through date in the merchant's calendar, for a contract with an overdue invoice; else null. */
  daysUnpaid: number | null;
  nextActionKind: ActionKind | null;
  nextActionAt: Date | null;
  card: { brand: string; last4: string; expMonth: number; expYear: number } | null;
  createdAt: Date;
  testClock: { id: string; name: string | null } | null;
};

export type StatusCounts = Record<SubscriptionStatus, number>;

export type SubscriptionSearchResult = {
  /** The search as read (defaults filled in). */
  search: SubscriptionSearch;
  rows: SubscriptionSearchRow[];
  /** Contracts matching the whole search. */
  total: number;
  /** Contracts matching the search's other filters, per status: the tabs (すべて is their sum). */
  statusCounts: StatusCounts;
};

/**
 * One page of the contracts workspace: its rows, how many contracts match, and how many of each status match the
 * other filters, read in one repeatable-read transaction so that they agree with each other.
 */
export async function searchSubscriptions(ctx: SearchContext, input: unknown): Promise<SubscriptionSearchResult> {
  const search = parseInput(subscriptionSearch, input);
  return ctx.db.transaction(
    async (tx) => {
      // Big plans at a million rows cross the JIT's cost threshold; compiling them takes longer than running them.
      await tx.execute(sql`set local jit = off`);
      const scope = await loadScope(tx, ctx.merchantId, ctx.clock.now(), search);
      const counts = await countContracts(tx, scope, countByFor(search.sort));
      const statusCounts = Object.fromEntries(SUBSCRIPTION_STATUSES.map((status) => [status, 0])) as StatusCounts;
      for (const c of counts) statusCounts[c.status] += c.n;
      const wanted = search.status.length > 0 ? counts.filter((c) => search.status.includes(c.status)) : counts;
      const total = wanted.reduce((sum, c) => sum + c.n, 0);
      const offset = (search.page - 1) * search.perPage;
      if (offset >= total) return { search, rows: [], total, statusCounts };
      const ids = await pageIds(tx, scope, pageRead(scope, wanted, search.sort, search.desc), offset, search.perPage);
      return { search, rows: await rowsByIds(tx, scope, ids), total, statusCounts };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/**
 * Every contract matching the filters, as batches of ids in id order (keyset: each batch starts after the last id
 * of the one before, so that memory stays flat and a batch costs the same at any depth). For the CSV export and for
 * bulk jobs over "all N matching". Runs on `ctx.db` as given: pass a transaction to read all batches in one snapshot.
 */
export async function* subscriptionIdsMatching(ctx: SearchContext, filters: unknown, options: { batchSize?: number } = {}): AsyncGenerator<string[]> {
  const parsed = parseInput(subscriptionFilters, filters);
  const batchSize = options.batchSize ?? 1000;
  const scope = await loadScope(ctx.db, ctx.merchantId, ctx.clock.now(), parsed);
  const where = matchConditions(scope, { withStatus: true });
  let after: string | null = null;
  for (;;) {
    const rows: { id: string }[] = await ctx.db
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .where(after ? and(where, gt(subscriptions.id, after)) : where)
      .orderBy(asc(subscriptions.id))
      .limit(batchSize);
    if (rows.length === 0) return;
    yield rows.map((r) => r.id);
    if (rows.length < batchSize) return;
    after = rows.at(-1)!.id;
  }
}

/** Every contract matching the filters, as batches of table rows in id order (the CSV export). */
export async function* subscriptionRowsMatching(ctx: SearchContext, filters: unknown, options: { batchSize?: number } = {}): AsyncGenerator<SubscriptionSearchRow[]> {
  const parsed = parseInput(subscriptionFilters, filters);
  const scope = await loadScope(ctx.db, ctx.merchantId, ctx.clock.now(), parsed);
  for await (const ids of subscriptionIdsMatching(ctx, parsed, options)) yield rowsByIds(ctx.db, scope, ids);
}

/** The table's rows for these contracts of the merchant, in the order given. */
async function rowsByIds(db: Db, scope: SearchScope, ids: readonly string[]): Promise<SubscriptionSearchRow[]> {
  if (ids.length === 0) return [];
  const s = subscriptions;
  const found = await db
    .select({
      id: s.id,
      customerId: s.customerId,
      customerName: customers.name,
      customerEmail: customers.email,
      productId: products.id,
      productName: products.name,
      planId: s.planId,
      planName: plans.name,
      amount: plans.amount,
      currency: plans.currency,
      status: s.status,
      paidThrough: s.paidThrough,
      overdue: sql<boolean>`${s.overdueInvoiceId} is not null`,
      nextActionKind: s.nextActionKind,
      nextActionAt: s.nextActionAt,
      cardBrand: paymentMethods.brand,
      cardLast4: paymentMethods.last4,
      cardExpMonth: paymentMethods.expMonth,
      cardExpYear: paymentMethods.expYear,
      createdAt: s.createdAt,
      testClockId: s.testClockId,
      testClockName: testClocks.name,
    })
    .from(s)
    .innerJoin(customers, eq(customers.id, s.customerId))
    .innerJoin(plans, eq(plans.id, s.planId))
    .innerJoin(products, eq(products.id, plans.productId))
    .leftJoin(paymentMethods, eq(paymentMethods.id, s.paymentMethodId))
    .leftJoin(testClocks, eq(testClocks.id, s.testClockId))
    .where(and(eq(s.merchantId, scope.merchantId), inList(s.id, ids)));
  const byId = new Map(found.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const daysUnpaid = r.overdue && r.paidThrough ? Math.max(0, daysBetween(localDateOf(r.paidThrough, scope.timeZone), scope.today)) : null;
    return [
      {
        id: r.id,
        customerId: r.customerId,
        customerName: r.customerName,
        customerEmail: r.customerEmail,
        productId: r.productId,
        productName: r.productName,
        planId: r.planId,
        planName: r.planName,
        amount: r.amount,
        currency: r.currency,
        status: r.status,
        paidThrough: r.paidThrough,
        daysUnpaid,
        nextActionKind: r.nextActionKind,
        nextActionAt: r.nextActionAt,
        card: r.cardBrand ? { brand: r.cardBrand, last4: r.cardLast4!, expMonth: r.cardExpMonth!, expYear: r.cardExpYear! } : null,
        createdAt: r.createdAt,
        testClock: r.testClockId ? { id: r.testClockId, name: r.testClockName } : null,
      },
    ];
  });
}
