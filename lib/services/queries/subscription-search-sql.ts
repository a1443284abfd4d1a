import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { rowsOf } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { customers, merchants, plans, subscriptions } from "@/db/schema";
import { type LocalDate, localDateOf, parseLocalDate, startOfLocalDay } from "@/lib/billing/calendar";
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from "@/lib/billing/subscription-state";
import { notFound } from "../errors";
import type { SubscriptionFilters, SubscriptionSortColumn } from "./subscription-search";

/**
 * The SQL of the contracts workspace's search (subscription-search.ts): which contracts a search's filters match,
 * how they are counted, and in what order a page of them is read. The indexes these rely on are in
 * db/schema/subscriptions.ts and customers.ts, chosen from EXPLAIN ANALYZE at a million contracts
 * (`npm run bench -- console`).
 */

export type PlanFacts = { id: string; productId: string; amount: number };

/** What the filters are read against: the merchant's calendar ("today", where a local date starts) and its plans. */
export type SearchScope = {
  merchantId: string;
  timeZone: string;
  today: LocalDate;
  filters: SubscriptionFilters;
  plans: PlanFacts[];
  /** The plans the product, plan and amount filters allow; null when none of them is set. */
  planIds: string[] | null;
};

export async function loadScope(db: Db, merchantId: string, now: Date, filters: SubscriptionFilters): Promise<SearchScope> {
  // The merchant and its plans in one round trip (a merchant without plans comes back as one row of nulls).
  const rows = await db
    .select({ timeZone: merchants.timeZone, id: plans.id, productId: plans.productId, amount: plans.amount })
    .from(merchants)
    .leftJoin(plans, eq(plans.merchantId, merchants.id))
    .where(eq(merchants.id, merchantId));
  if (rows.length === 0) throw notFound("merchant", merchantId);
  const merchant = { timeZone: rows[0]!.timeZone };
  const merchantPlans = rows.flatMap((r) => (r.id === null ? [] : [{ id: r.id, productId: r.productId!, amount: r.amount! }]));
  const narrowed = filters.productId || filters.planId || filters.amountMin != null || filters.amountMax != null;
  const planIds = narrowed
    ? merchantPlans
        .filter(
          (p) =>
            (!filters.productId || p.productId === filters.productId) &&
            (!filters.planId || p.id === filters.planId) &&
            (filters.amountMin == null || p.amount >= filters.amountMin) &&
            (filters.amountMax == null || p.amount <= filters.amountMax),
        )
        .map((p) => p.id)
    : null;
  return { merchantId, timeZone: merchant.timeZone, today: localDateOf(now, merchant.timeZone), filters, plans: merchantPlans, planIds };
}

/** 00:00 of a local date, and of the day after one (ranges include both ends, as people mean them). */
const dayStart = (scope: SearchScope, date: string | LocalDate) => startOfLocalDay(typeof date === "string" ? parseLocalDate(date) : date, scope.timeZone);
const dayAfter = (scope: SearchScope, date: string) => startOfLocalDay(parseLocalDate(date).add({ days: 1 }), scope.timeZone);

/** Looks like one of our ids ("sub_0190…", "cus_…"): then the text is also compared with contract and customer ids. */
const ID_SHAPE = /^[a-z]{2,5}_[0-9a-z]{8,64}$/i;

/** The text's search key as PostgreSQL's search_key() makes it, to tell whether it is long enough for a partial match. */
const searchKeyLength = (text: string) => [...text.normalize("NFKC").replace(/\s+/g, "")].length;

/**
 * Customers whose name or e-mail address contains the text, Japanese included (customers_search_idx: the bigrams of
 * both; see db/migrations/0005_search_functions.sql). All the text's bigrams must be the customer's, and the text
 * must then be found whole; a text of two characters is its one bigram, so the index answers it alone.
 */
function customersContaining(scope: SearchScope, text: string): SQL {
  return sql`select ${customers.id} from ${customers}
    where ${customers.merchantId} = ${scope.merchantId}
      and customer_search_grams(${customers.name}, ${customers.email}) @> customer_search_grams(${text}, null)
      and (length(search_key(${text})) <= 2
        or search_key(${customers.name}) like '%' || replace(replace(replace(search_key(${text}), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'
        or search_key(${customers.email}) like '%' || replace(replace(replace(search_key(${text}), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')`;
}

/**
 * The conditions a search puts on contracts, the merchant's own always first. `withStatus: false` leaves out the
 * status filter, for the counts per status that the tabs show.
 */
export function matchConditions(scope: SearchScope, options: { withStatus: boolean }): SQL {
  const f = scope.filters;
  const s = subscriptions;
  const conditions: (SQL | undefined)[] = [eq(s.merchantId, scope.merchantId)];
  if (options.withStatus && f.status.length > 0) conditions.push(inArray(s.status, f.status));
  if (scope.planIds) conditions.push(scope.planIds.length > 0 ? inArray(s.planId, scope.planIds) : sql`false`);
  if (f.paidThroughFrom) conditions.push(gte(s.paidThrough, dayStart(scope, f.paidThroughFrom)));
  if (f.paidThroughTo) conditions.push(lt(s.paidThrough, dayAfter(scope, f.paidThroughTo)));
  if (f.daysUnpaidMin != null) {
    // N days or more since the paid-through date, counted in the merchant's calendar: paid through day D ≤ today − N.
    conditions.push(isNotNull(s.overdueInvoiceId), lt(s.paidThrough, dayStart(scope, scope.today.subtract({ days: f.daysUnpaidMin - 1 }))));
  }
  if (f.nextActionKind) conditions.push(eq(s.nextActionKind, f.nextActionKind));
  if (f.nextActionFrom) conditions.push(gte(s.nextActionAt, dayStart(scope, f.nextActionFrom)));
  if (f.nextActionTo) conditions.push(lt(s.nextActionAt, dayAfter(scope, f.nextActionTo)));
  if (f.card) {
    // The card on file's expiry month (kept on the contract, year × 100 + month) against this month.
    const thisMonth = scope.today.year * 100 + scope.today.month;
    conditions.push(f.card === "expiring" ? eq(s.cardExpiryMonth, thisMonth) : lt(s.cardExpiryMonth, thisMonth));
  }
  if (f.createdFrom) conditions.push(gte(s.createdAt, dayStart(scope, f.createdFrom)));
  if (f.createdTo) conditions.push(lt(s.createdAt, dayAfter(scope, f.createdTo)));
  if (f.testClock === "live") conditions.push(isNull(s.testClockId));
  else if (f.testClock === "test") conditions.push(isNotNull(s.testClockId));
  else if (f.testClock) conditions.push(eq(s.testClockId, f.testClock));
  if (f.q) {
    const byId = ID_SHAPE.test(f.q) ? [eq(s.id, f.q), eq(s.customerId, f.q)] : [];
    const byText = searchKeyLength(f.q) >= 2 ? [sql`${s.customerId} = any(array(${customersContaining(scope, f.q)}))`] : [];
    conditions.push(byId.length + byText.length > 0 ? or(...byId, ...byText) : sql`false`);
  }
  return and(...conditions)!;
}

// ---------------------------------------------------------------------------------------------------------------
// Counting

/**
 * How many contracts match, by status (the tabs and the total), and by plan or by whether they owe when a grouped
 * sort order needs it (null otherwise: counting fewer columns lets PostgreSQL count from an index alone).
 */
export type ContractCount = { status: SubscriptionStatus; planId: string | null; overdue: boolean | null; n: number };
export type CountBy = { plan: boolean; overdue: boolean };

/** What a sort order needs counted besides the status. */
export const countByFor = (sort: SubscriptionSortColumn): CountBy => ({ plan: sort === "amount", overdue: sort === "days_unpaid" });

/**
 * subscription_counts (kept by triggers, see db/schema/subscriptions.ts) answers searches that filter on nothing but
 * status, product, plan, amount and test clock: a million contracts counted in well under a millisecond. Any other
 * filter counts the matching rows themselves.
 */
export function countsAreKept(f: SubscriptionFilters): boolean {
  return !(
    f.paidThroughFrom ||
    f.paidThroughTo ||
    f.daysUnpaidMin != null ||
    f.nextActionKind ||
    f.nextActionFrom ||
    f.nextActionTo ||
    f.card ||
    f.createdFrom ||
    f.createdTo ||
    f.q
  );
}

/** The matching contracts of every status (the status filter is applied by the caller), counted. */
export async function countContracts(db: Db, scope: SearchScope, by: CountBy): Promise<ContractCount[]> {
  const rows = countsAreKept(scope.filters) ? await keptCounts(db, scope, by) : await countedRows(db, scope, by);
  return rows.map((r) => ({ status: r.status, planId: r.plan_id, overdue: r.overdue, n: Number(r.n) })).filter((r) => r.n > 0);
}

type CountRow = { status: SubscriptionStatus; plan_id: string | null; overdue: boolean | null; n: string };

async function keptCounts(db: Db, scope: SearchScope, by: CountBy): Promise<CountRow[]> {
  const clock = scope.filters.testClock;
  const where = sql.join(
    [
      sql`merchant_id = ${scope.merchantId}`,
      ...(scope.planIds ? [scope.planIds.length > 0 ? sql`plan_id in (${sql.join(scope.planIds.map((id) => sql`${id}`), sql`, `)})` : sql`false`] : []),
      ...(clock === "live" ? [sql`test_clock_id = ''`] : clock === "test" ? [sql`test_clock_id <> ''`] : clock ? [sql`test_clock_id = ${clock}`] : []),
    ],
    sql` and `,
  );
  const plan = by.plan ? sql`plan_id` : sql`null::text`;
  const overdue = by.overdue ? sql`overdue` : sql`null::boolean`;
  return rowsOf<CountRow>(
    await db.execute(sql`
      select status, ${plan} as plan_id, ${overdue} as overdue, sum(n)::text as n from (
        select status, plan_id, overdue, count as n from subscription_counts where ${where}
        union all
        select status, plan_id, overdue, delta from subscription_count_changes where ${where}
      ) kept group by 1, 2, 3`),
  );
}

async function countedRows(db: Db, scope: SearchScope, by: CountBy): Promise<CountRow[]> {
  const plan = by.plan ? subscriptions.planId : sql`null::text`;
  // The days-unpaid filter already means they owe: no need to read the column.
  const overdue = !by.overdue ? sql`null::boolean` : scope.filters.daysUnpaidMin != null ? sql`true` : sql`${subscriptions.overdueInvoiceId} is not null`;
  return rowsOf<CountRow>(
    await db.execute(sql`
      select ${subscriptions.status} as status, ${plan} as plan_id, ${overdue} as overdue, count(*)::text as n
      from ${subscriptions} where ${matchConditions(scope, { withStatus: false })}
      group by 1, 2, 3`),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Order

/**
 * How a sort column reads a page. "walk": one ORDER BY … LIMIT … OFFSET along an index that ends in the id (the
 * unique tiebreaker). "groups": columns with few values (status, the plan's amount, owing or not) are read a group
 * at a time in the group order, using the counts per group to know which groups a page falls in, each along its
 * own index; a page reads at most the groups it shows.
 */
export type PageRead =
  | { kind: "walk"; order: SQL[]; joinCustomers: boolean }
  | { kind: "groups"; groups: { where: SQL; n: number; order: SQL[] }[] };

const STATUS_ORDER = SUBSCRIPTION_STATUSES;

export function pageRead(scope: SearchScope, counts: readonly ContractCount[], sort: SubscriptionSortColumn, descending: boolean): PageRead {
  const s = subscriptions;
  const dir = descending ? desc : asc;
  const tie = dir(s.id);
  switch (sort) {
    case "created_at":
      return { kind: "walk", order: [dir(s.createdAt), tie], joinCustomers: false };
    case "paid_through":
      return { kind: "walk", order: [dir(s.paidThrough), tie], joinCustomers: false };
    case "next_action_at":
      return { kind: "walk", order: [dir(s.nextActionAt), tie], joinCustomers: false };
    case "customer_name":
      return { kind: "walk", order: [dir(customers.name), tie], joinCustomers: true };
    case "status": {
      // Statuses in their life-cycle order (the tabs' order), then the paid-through date (subscriptions_status_idx).
      const statuses = descending ? [...STATUS_ORDER].reverse() : [...STATUS_ORDER];
      return {
        kind: "groups",
        groups: statuses.map((status) => ({ where: eq(s.status, status), n: sum(counts.filter((c) => c.status === status)), order: [dir(s.paidThrough), tie] })),
      };
    }
    case "amount": {
      // The plan's amount, then the plan (plans of one amount side by side), then the contract (subscriptions_plan_idx).
      const byAmount = [...scope.plans].sort((a, b) => a.amount - b.amount || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      if (descending) byAmount.reverse();
      return {
        kind: "groups",
        groups: byAmount.map((plan) => ({ where: eq(s.planId, plan.id), n: sum(counts.filter((c) => c.planId === plan.id)), order: [tie] })),
      };
    }
    case "days_unpaid": {
      // Most days unpaid first means the earliest paid-through date among contracts that owe (subscriptions_overdue_idx);
      // contracts that owe nothing count as none and come after them (before them, ascending).
      const owing = { where: isNotNull(s.overdueInvoiceId), n: sum(counts.filter((c) => c.overdue)), order: [descending ? asc(s.paidThrough) : desc(s.paidThrough), tie] };
      const clear = { where: isNull(s.overdueInvoiceId), n: sum(counts.filter((c) => !c.overdue)), order: [tie] };
      return { kind: "groups", groups: descending ? [owing, clear] : [clear, owing] };
    }
  }
}

const sum = (counts: readonly ContractCount[]) => counts.reduce((total, c) => total + c.n, 0);

/** The ids of one page, in order. `counts` must already be narrowed to the statuses the search asks for. */
export async function pageIds(db: Db, scope: SearchScope, read: PageRead, offset: number, limit: number): Promise<string[]> {
  const where = matchConditions(scope, { withStatus: true });
  if (read.kind === "walk") {
    const query = db.select({ id: subscriptions.id }).from(subscriptions);
    // The customer's merchant too, so that customers_name_idx (merchant, name, id) gives the names in order.
    const joined = read.joinCustomers ? query.innerJoin(customers, and(eq(customers.id, subscriptions.customerId), eq(customers.merchantId, scope.merchantId))) : query;
    const rows = await joined
      .where(where)
      .orderBy(...read.order)
      .limit(limit)
      .offset(offset);
    return rows.map((r) => r.id);
  }
  const ids: string[] = [];
  let skip = offset;
  for (const group of read.groups) {
    if (ids.length >= limit) break;
    if (skip >= group.n) {
      skip -= group.n;
      continue;
    }
    const take = Math.min(limit - ids.length, group.n - skip);
    const rows = await db
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .where(and(where, group.where))
      .orderBy(...group.order)
      .limit(take)
      .offset(skip);
    ids.push(...rows.map((r) => r.id));
    skip = 0;
  }
  return ids;
}
