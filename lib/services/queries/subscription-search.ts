import { and, asc, eq, gt, sql } from "drizzle-orm";
import { inList } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { customers, paymentMethods, plans, products, subscriptions, testClocks } from "@/db/schema";
import { daysBetween, localDateOf } from "@/lib/billing/calendar";
import type { ActionKind } from "@/lib/billing/scheduled-action";
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from "@/lib/billing/subscription-state";
import type { ServiceContext } from "../context";
import { parseInput } from "../errors";
import { countByFor, countContracts, loadScope, matchConditions, pageIds, pageRead, type SearchScope } from "./subscription-search-sql";
import { type StatusCounts, subscriptionFilters, subscriptionSearch, type SubscriptionSearch } from "./subscription-search-schema";

/**
 * The contracts workspace's queries (/console/subscriptions). The search schema lives in subscription-search-schema.ts
 * (no database code: the page's client components import it) and is re-exported here with the queries.
 */
export * from "./subscription-search-schema";

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

/** What the workspace's filters offer: the merchant's products with their plans, and its test clocks. */
export type SubscriptionSearchOptions = {
  products: { id: string; name: string }[];
  plans: { id: string; productId: string; name: string | null; amount: number; currency: string }[];
  testClocks: { id: string; name: string | null }[];
};

export async function subscriptionSearchOptions(ctx: Pick<SearchContext, "db" | "merchantId">): Promise<SubscriptionSearchOptions> {
  const [productRows, planRows, clockRows] = await Promise.all([
    ctx.db.select({ id: products.id, name: products.name }).from(products).where(eq(products.merchantId, ctx.merchantId)).orderBy(asc(products.name)),
    ctx.db
      .select({ id: plans.id, productId: plans.productId, name: plans.name, amount: plans.amount, currency: plans.currency })
      .from(plans)
      .where(eq(plans.merchantId, ctx.merchantId))
      .orderBy(asc(plans.amount), asc(plans.id)),
    ctx.db
      .select({ id: testClocks.id, name: testClocks.name })
      .from(testClocks)
      .where(and(eq(testClocks.merchantId, ctx.merchantId), eq(testClocks.deleted, false)))
      .orderBy(asc(testClocks.createdAt)),
  ]);
  return { products: productRows, plans: planRows, testClocks: clockRows };
}
