import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { customers, paymentMethods, plans, subscriptions } from "@/db/schema";
import { daysBetween, localDateOf } from "@/lib/billing/calendar";
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from "@/lib/billing/subscription-state";
import { createSandboxGateway } from "@/lib/gateways/sandbox";
import { type ConsoleSeed, seedConsoleContracts } from "@/scripts/bench/console-seed";
import { openTestDatabase } from "@/test/support/database";
import { rejection, setupTestMerchant, signedUpContract } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import { addPaymentMethod } from "../add-payment-method";
import { fixedClock, type ServiceContext } from "../context";
import { operatorContext } from "../contexts";
import { createCustomer } from "../create-customer";
import { createSubscription } from "../create-subscription";
import {
  PAGE_SIZES,
  searchSubscriptions,
  SUBSCRIPTION_SORT_COLUMNS,
  type SubscriptionFilters,
  type SubscriptionSearchRow,
  type SubscriptionSortColumn,
  subscriptionIdsMatching,
  subscriptionRowsMatching,
} from "./subscription-search";

/**
 * The contracts workspace's query builder against an oracle: a merchant's few hundred contracts (the benchmark's
 * seeder, plus a few made through the services with names that test the free-text search) are read whole, and every
 * filter, sort and page is computed again here in plain TypeScript from the rows. Runs on PGlite and PostgreSQL.
 */
const NOW = new Date("2027-01-15T03:00:00Z"); // 12:00 in Tokyo
const TZ = "Asia/Tokyo";
const TODAY = localDateOf(NOW, TZ);

let database: Database;
let seed: ConsoleSeed;
let ctx: ServiceContext;
let all: Contract[];
const made: Record<string, { subscriptionId: string; customerId: string }> = {};

/** A contract with what the oracle needs to filter and sort it. */
type Contract = SubscriptionSearchRow & { overdue: boolean; cardMonth: number | null; createdDate: string };

beforeAll(async () => {
  database = await openTestDatabase();
  seed = await seedConsoleContracts(database.db, 400, { now: NOW });
  const gateway = createSandboxGateway(database.db);
  ctx = operatorContext(testPlatform(database.db, { clock: fixedClock(NOW), gateway }), seed.merchantId, "test");
  // Customers whose names and addresses exercise the search: half-width katakana, a full-width space, LIKE's own
  // wildcard characters, and a name that only matches with the spaces dropped.
  const people = [
    ["ﾔﾏﾀﾞ ﾊﾅｺ", "hanako_y@example.jp"],
    ["山田　次郎（100%会員）", "jiro@example.jp"],
    ["Smith Anna", "anna.smith@example.com"],
  ] as const;
  for (const [name, email] of people) {
    const customer = await createCustomer(ctx, { name, email });
    const token = await gateway.testControls.createToken({ number: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" }, NOW);
    await addPaymentMethod(ctx, { customerId: customer.id, token: token.id, makeDefault: true });
    const subscription = await createSubscription(ctx, { customerId: customer.id, planId: seed.plans[0]!.id });
    made[email] = { subscriptionId: subscription.id, customerId: customer.id };
  }
  // Another merchant's contract, with a name every search below would find: it must never show.
  const other = await setupTestMerchant(database, { now: NOW });
  await signedUpContract(other);
  all = await loadAll();
}, 120_000);
afterAll(async () => database?.close());

async function loadAll(): Promise<Contract[]> {
  const rows = await database.db
    .select({ sub: subscriptions, customer: customers, plan: plans, card: paymentMethods })
    .from(subscriptions)
    .innerJoin(customers, eq(customers.id, subscriptions.customerId))
    .innerJoin(plans, eq(plans.id, subscriptions.planId))
    .leftJoin(paymentMethods, eq(paymentMethods.id, subscriptions.paymentMethodId))
    .where(eq(subscriptions.merchantId, seed.merchantId));
  return rows.map(({ sub, customer, plan, card }) => {
    const overdue = sub.overdueInvoiceId !== null;
    return {
      id: sub.id,
      customerId: sub.customerId,
      customerName: customer.name,
      customerEmail: customer.email,
      productId: plan.productId,
      productName: "",
      planId: plan.id,
      planName: plan.name,
      amount: plan.amount,
      currency: plan.currency,
      status: sub.status,
      paidThrough: sub.paidThrough,
      daysUnpaid: overdue && sub.paidThrough ? daysBetween(localDateOf(sub.paidThrough, TZ), TODAY) : null,
      nextActionKind: sub.nextActionKind,
      nextActionAt: sub.nextActionAt,
      card: card ? { brand: card.brand, last4: card.last4, expMonth: card.expMonth, expYear: card.expYear } : null,
      createdAt: sub.createdAt,
      testClock: sub.testClockId ? { id: sub.testClockId, name: null } : null,
      overdue,
      cardMonth: card ? card.expYear * 12 + card.expMonth : null,
      createdDate: localDateOf(sub.createdAt, TZ).toString(),
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The oracle

const localDate = (at: Date | null) => (at ? localDateOf(at, TZ).toString() : null);
const within = (date: string | null, from?: string | null, to?: string | null) => date !== null && (!from || date >= from) && (!to || date <= to);
const key = (text: string) => text.normalize("NFKC").toLowerCase().replace(/\s+/g, "");

function matches(c: Contract, f: Partial<SubscriptionFilters>, withStatus = true): boolean {
  const thisMonth = TODAY.year * 12 + TODAY.month;
  if (withStatus && f.status?.length && !f.status.includes(c.status)) return false;
  if (f.productId && c.productId !== f.productId) return false;
  if (f.planId && c.planId !== f.planId) return false;
  if ((f.paidThroughFrom || f.paidThroughTo) && !within(localDate(c.paidThrough), f.paidThroughFrom, f.paidThroughTo)) return false;
  if (f.daysUnpaidMin != null && !(c.daysUnpaid !== null && c.daysUnpaid >= f.daysUnpaidMin)) return false;
  if (f.nextActionKind && c.nextActionKind !== f.nextActionKind) return false;
  if ((f.nextActionFrom || f.nextActionTo) && !within(localDate(c.nextActionAt), f.nextActionFrom, f.nextActionTo)) return false;
  if (f.card === "expiring" && c.cardMonth !== thisMonth) return false;
  if (f.card === "expired" && !(c.cardMonth !== null && c.cardMonth < thisMonth)) return false;
  if ((f.createdFrom || f.createdTo) && !within(c.createdDate, f.createdFrom, f.createdTo)) return false;
  if (f.amountMin != null && c.amount < f.amountMin) return false;
  if (f.amountMax != null && c.amount > f.amountMax) return false;
  if (f.testClock === "live" && c.testClock) return false;
  if (f.testClock === "test" && !c.testClock) return false;
  if (f.testClock && f.testClock !== "live" && f.testClock !== "test" && c.testClock?.id !== f.testClock) return false;
  if (f.q) {
    const q = f.q.trim();
    const partial = [...key(q)].length >= 2 && (key(c.customerName).includes(key(q)) || key(c.customerEmail).includes(key(q)));
    if (!(partial || c.id === q || c.customerId === q)) return false;
  }
  return true;
}

/** PostgreSQL's order: NULL sorts above every value (last ascending, first descending). */
function compareNullable<T>(a: T | null, b: T | null, cmp: (x: T, y: T) => number): number {
  if (a === null && b === null) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return cmp(a, b);
}
const byNumber = (a: number, b: number) => a - b;
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function ordered(rows: Contract[], sort: SubscriptionSortColumn, desc: boolean): Contract[] {
  const sign = desc ? -1 : 1;
  const tie = (a: Contract, b: Contract) => sign * byText(a.id, b.id);
  const time = (d: Date | null) => (d ? d.getTime() : null);
  const compare: Record<SubscriptionSortColumn, (a: Contract, b: Contract) => number> = {
    created_at: (a, b) => sign * byNumber(a.createdAt.getTime(), b.createdAt.getTime()) || tie(a, b),
    paid_through: (a, b) => sign * compareNullable(time(a.paidThrough), time(b.paidThrough), byNumber) || tie(a, b),
    next_action_at: (a, b) => sign * compareNullable(time(a.nextActionAt), time(b.nextActionAt), byNumber) || tie(a, b),
    customer_name: (a, b) => sign * byText(a.customerName, b.customerName) || tie(a, b),
    status: (a, b) =>
      sign * (SUBSCRIPTION_STATUSES.indexOf(a.status) - SUBSCRIPTION_STATUSES.indexOf(b.status)) ||
      sign * compareNullable(time(a.paidThrough), time(b.paidThrough), byNumber) ||
      tie(a, b),
    amount: (a, b) => sign * (a.amount - b.amount) || sign * byText(a.planId, b.planId) || tie(a, b),
    // Days unpaid, none counting as fewest: owing contracts by paid-through date, the others by id.
    days_unpaid: (a, b) => {
      if (a.overdue !== b.overdue) return sign * (a.overdue ? 1 : -1);
      if (a.overdue) return -sign * byNumber(a.paidThrough!.getTime(), b.paidThrough!.getTime()) || tie(a, b);
      return tie(a, b);
    },
  };
  return [...rows].sort(compare[sort]);
}

async function search(filters: Partial<SubscriptionFilters>, options: { sort?: SubscriptionSortColumn; desc?: boolean; page?: number; perPage?: 25 | 50 | 100 } = {}) {
  return searchSubscriptions(ctx, { ...filters, ...options });
}

/** The search answers what the oracle says: the rows of the page, the total and the counts per status. */
async function expectLikeOracle(filters: Partial<SubscriptionFilters>, options: { sort?: SubscriptionSortColumn; desc?: boolean; page?: number; perPage?: 25 | 50 | 100 } = {}) {
  const sort = options.sort ?? "created_at";
  const desc = options.desc ?? true;
  const perPage = options.perPage ?? 25;
  const page = options.page ?? 1;
  const expected = ordered(
    all.filter((c) => matches(c, filters)),
    sort,
    desc,
  );
  const result = await search(filters, { sort, desc, page, perPage });
  expect(result.total).toBe(expected.length);
  expect(result.rows.map((r) => r.id)).toEqual(expected.slice((page - 1) * perPage, page * perPage).map((c) => c.id));
  const counts = Object.fromEntries(SUBSCRIPTION_STATUSES.map((s) => [s, all.filter((c) => c.status === s && matches(c, filters, false)).length]));
  expect(result.statusCounts).toEqual(counts);
  return { result, expected };
}

// ---------------------------------------------------------------------------------------------------------------

describe("searchSubscriptions: each filter", () => {
  const cases: [string, () => Partial<SubscriptionFilters>][] = [
    ["no filter", () => ({})],
    ["one status", () => ({ status: ["unpaid"] })],
    ["several statuses", () => ({ status: ["past_due", "unpaid", "paused"] })],
    ["product", () => ({ productId: seed.productIds[1] })],
    ["plan", () => ({ planId: seed.plans[3]!.id })],
    ["a product and a plan of another product (nothing)", () => ({ productId: seed.productIds[0], planId: seed.plans[11]!.id })],
    ["paid-through range", () => ({ paidThroughFrom: "2027-01-01", paidThroughTo: "2027-01-31" })],
    ["paid-through from", () => ({ paidThroughFrom: "2027-01-20" })],
    ["paid-through to", () => ({ paidThroughTo: "2026-12-31" })],
    ["days unpaid ≥ 0", () => ({ daysUnpaidMin: 0 })],
    ["days unpaid ≥ 1", () => ({ daysUnpaidMin: 1 })],
    ["days unpaid ≥ 60", () => ({ daysUnpaidMin: 60 })],
    ["days unpaid ≥ 67", () => ({ daysUnpaidMin: 67 })],
    ["days unpaid ≥ 365", () => ({ daysUnpaidMin: 365 })],
    ["next action kind", () => ({ nextActionKind: "retry" })],
    ["next action kind and date range", () => ({ nextActionKind: "renewal", nextActionFrom: "2027-01-20", nextActionTo: "2027-02-05" })],
    ["next action date range", () => ({ nextActionFrom: "2027-01-16", nextActionTo: "2027-01-16" })],
    ["card expiring this month", () => ({ card: "expiring" })],
    ["card expired", () => ({ card: "expired" })],
    ["created range", () => ({ createdFrom: "2025-01-01", createdTo: "2025-12-31" })],
    ["amount range", () => ({ amountMin: 1000, amountMax: 3000 })],
    ["amount at least", () => ({ amountMin: 9800 })],
    ["amount at most", () => ({ amountMax: 980 })],
    ["live contracts", () => ({ testClock: "live" })],
    ["test-clock contracts", () => ({ testClock: "test" })],
    ["one test clock", () => ({ testClock: seed.testClockIds[1] })],
    ["an unknown test clock", () => ({ testClock: "clock_unknown" })],
    ["seed 002: unpaid 60 days or more, live, by plan", () => ({ status: ["unpaid"], daysUnpaidMin: 60, testClock: "live", amountMin: 1000 })],
    ["card expired among the contracts that owe", () => ({ status: ["past_due", "unpaid"], card: "expired" })],
  ];
  for (const [name, filters] of cases) {
    it(name, async () => {
      const { expected } = await expectLikeOracle(filters());
      if (name !== "a product and a plan of another product (nothing)" && name !== "an unknown test clock") expect(expected.length).toBeGreaterThan(0);
    });
  }
});

describe("searchSubscriptions: free text", () => {
  const texts: [string, string, number?][] = [
    ["a two-character Japanese surname", "山田"],
    ["a full name typed without its space", "山田太郎"],
    ["a name typed with a full-width space", "佐藤　花子"],
    ["full-width letters find the e-mail address", "ｙａｍａｄａ"],
    ["upper case finds lower case", "YAMADA"],
    ["half-width katakana finds itself and full-width", "ヤマダ"],
    ["part of an e-mail address", "hanako.s"],
    ["LIKE's wildcards are plain characters", "100%"],
    ["an underscore is not a wildcard", "o_y"],
    ["a single character matches nothing partially", "山", 0],
    ["no match", "存在しない名前"],
  ];
  for (const [name, q, count] of texts) {
    it(name, async () => {
      const { expected } = await expectLikeOracle({ q });
      if (count !== undefined) expect(expected).toHaveLength(count);
    });
  }

  it("finds the contract by its id and by its customer's id, exactly", async () => {
    const { subscriptionId, customerId } = made["anna.smith@example.com"]!;
    expect((await search({ q: subscriptionId })).rows.map((r) => r.id)).toEqual([subscriptionId]);
    expect((await search({ q: customerId })).rows.map((r) => r.id)).toEqual([subscriptionId]);
    expect((await search({ q: subscriptionId.slice(0, -1) })).total).toBe(0);
  });

  it("finds the half-width name, and the name across its full-width space", async () => {
    expect((await search({ q: "ﾔﾏﾀﾞ" })).rows.map((r) => r.customerEmail)).toEqual(["hanako_y@example.jp"]);
    expect((await search({ q: "山田次郎" })).rows.map((r) => r.customerEmail)).toEqual(["jiro@example.jp"]);
    expect((await search({ q: "100%" })).rows.map((r) => r.customerEmail)).toEqual(["jiro@example.jp"]);
  });

  it("combines with the other filters", async () => {
    await expectLikeOracle({ q: "田", status: ["active"] });
    await expectLikeOracle({ q: "yamada", status: ["active", "canceled"], amountMin: 1000 });
  });
});

describe("searchSubscriptions: sort and pages", () => {
  for (const sort of SUBSCRIPTION_SORT_COLUMNS) {
    for (const desc of [false, true]) {
      it(`${sort} ${desc ? "descending" : "ascending"}: first, middle and last page`, async () => {
        const { expected } = await expectLikeOracle({}, { sort, desc, page: 1, perPage: 50 });
        const last = Math.ceil(expected.length / 50);
        await expectLikeOracle({}, { sort, desc, page: Math.ceil(last / 2), perPage: 50 });
        await expectLikeOracle({}, { sort, desc, page: last, perPage: 50 });
        // A filtered search: the grouped orders skip whole groups the filter leaves empty.
        await expectLikeOracle({ status: ["unpaid", "active"], amountMax: 3000 }, { sort, desc, page: 2 });
      });
    }
  }

  it("every page size; a page past the end is empty but keeps the total", async () => {
    for (const perPage of PAGE_SIZES) await expectLikeOracle({}, { perPage, page: 2 });
    const result = await search({}, { page: 1000 });
    expect(result.rows).toEqual([]);
    expect(result.total).toBe(all.length);
  });

  it("pages do not overlap and together are the whole search", async () => {
    const seen: string[] = [];
    for (let page = 1; page <= Math.ceil(all.length / 100); page++) seen.push(...(await search({}, { sort: "status", page, perPage: 100 })).rows.map((r) => r.id));
    expect(new Set(seen).size).toBe(all.length);
  });

  it("rows carry what the table shows", async () => {
    const { rows } = await search({ q: "anna.smith@example.com" });
    expect(rows).toEqual([
      expect.objectContaining({
        id: made["anna.smith@example.com"]!.subscriptionId,
        customerName: "Smith Anna",
        customerEmail: "anna.smith@example.com",
        productId: seed.productIds[0],
        productName: "オンライン講座",
        planId: seed.plans[0]!.id,
        amount: 3000,
        currency: "jpy",
        status: "active",
        paidThrough: new Date("2027-02-14T15:00:00Z"),
        daysUnpaid: null,
        nextActionKind: "renewal",
        nextActionAt: new Date("2027-02-14T15:00:00Z"),
        card: { brand: "visa", last4: "4242", expMonth: 12, expYear: 2030 },
        createdAt: NOW,
        testClock: null,
      }),
    ]);
    const [owing] = (await search({ status: ["unpaid"] }, { sort: "days_unpaid", desc: true, perPage: 25 })).rows;
    expect(owing!.daysUnpaid).toBe(daysBetween(localDateOf(owing!.paidThrough!, TZ), TODAY));
    expect(owing!.daysUnpaid).toBeGreaterThan(14);
  });
});

describe("every contract matching, in batches", () => {
  it("gives every matching id once, in id order, in batches of the size asked", async () => {
    const filters = { status: ["active", "unpaid"] as SubscriptionStatus[], testClock: "live" };
    const batches: string[][] = [];
    for await (const batch of subscriptionIdsMatching(ctx, filters, { batchSize: 37 })) batches.push(batch);
    const expected = all
      .filter((c) => matches(c, filters))
      .map((c) => c.id)
      .sort();
    expect(batches.flat()).toEqual(expected);
    expect(batches.slice(0, -1).every((b) => b.length === 37)).toBe(true);
    const rows: SubscriptionSearchRow[] = [];
    for await (const batch of subscriptionRowsMatching(ctx, filters, { batchSize: 50 })) rows.push(...batch);
    expect(rows.map((r) => r.id)).toEqual(expected);
  });

  it("gives nothing for a search that matches nothing", async () => {
    const batches: string[][] = [];
    for await (const batch of subscriptionIdsMatching(ctx, { q: "存在しない名前" })) batches.push(batch);
    expect(batches).toEqual([]);
  });
});

describe("bad input", () => {
  it("is refused with the offending field, not read", async () => {
    expect((await rejection(search({ status: ["gone" as SubscriptionStatus] }))).details.param).toBe("status.0");
    expect((await rejection(search({}, { perPage: 30 as 25 }))).details.param).toBe("perPage");
    expect((await rejection(search({ paidThroughFrom: "2027-13-01" }))).code).toBe("invalid");
    expect((await rejection(search({ paidThroughFrom: "15/01/2027" }))).details.param).toBe("paidThroughFrom");
    expect((await rejection(searchSubscriptions(ctx, { sort: "merchant_id" }))).details.param).toBe("sort");
    const generator = subscriptionIdsMatching(ctx, { daysUnpaidMin: -1 });
    expect((await rejection(generator.next())).details.param).toBe("daysUnpaidMin");
  });
});
