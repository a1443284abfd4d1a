import { and, asc, count, desc, eq, inArray } from "drizzle-orm";
import { customers, paymentMethods, plans, products, subscriptions, testClocks } from "@/db/schema";
import type { BillingInterval } from "@/lib/billing/plan";
import type { SubscriptionStatus } from "@/lib/billing/subscription-state";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { type PageRequest, pageConditions, toPage } from "./page";

type ReadContext = Pick<ServiceContext, "db" | "merchantId">;

export async function getTestClock(ctx: ReadContext, id: string) {
  const [row] = await ctx.db.select().from(testClocks).where(and(eq(testClocks.id, id), eq(testClocks.merchantId, ctx.merchantId), eq(testClocks.deleted, false)));
  if (!row) throw notFound("test clock", id, "id");
  return row;
}

export async function listTestClocks(ctx: ReadContext, request: PageRequest) {
  const page = pageConditions(testClocks.id, request);
  const rows = await ctx.db
    .select()
    .from(testClocks)
    .where(and(eq(testClocks.merchantId, ctx.merchantId), eq(testClocks.deleted, false), page.cursor))
    .orderBy(page.order)
    .limit(page.take);
  return toPage(rows, request);
}

// ---------------------------------------------------------------------------------------------------------
// The console's test clock pages: the clocks with what lives on each, and one clock's customers and contracts.

/** The console lists every clock at once: a merchant keeps a handful, not pages of them. */
const CONSOLE_CLOCK_LIMIT = 200;

export type TestClockSummary = typeof testClocks.$inferSelect & { customerCount: number; subscriptionCount: number };

/** The merchant's clocks, newest first, with how many customers and contracts live on each. */
export async function listTestClockSummaries(ctx: ReadContext): Promise<TestClockSummary[]> {
  const clocks = await ctx.db
    .select()
    .from(testClocks)
    .where(and(eq(testClocks.merchantId, ctx.merchantId), eq(testClocks.deleted, false)))
    .orderBy(desc(testClocks.id))
    .limit(CONSOLE_CLOCK_LIMIT);
  if (clocks.length === 0) return [];
  const ids = clocks.map((c) => c.id);
  const [customerCounts, subscriptionCounts] = await Promise.all([
    ctx.db
      .select({ clockId: customers.testClockId, n: count() })
      .from(customers)
      .where(and(eq(customers.merchantId, ctx.merchantId), inArray(customers.testClockId, ids)))
      .groupBy(customers.testClockId),
    ctx.db
      .select({ clockId: subscriptions.testClockId, n: count() })
      .from(subscriptions)
      .where(and(eq(subscriptions.merchantId, ctx.merchantId), inArray(subscriptions.testClockId, ids)))
      .groupBy(subscriptions.testClockId),
  ]);
  const countOf = (rows: { clockId: string | null; n: number }[], id: string) => rows.find((r) => r.clockId === id)?.n ?? 0;
  return clocks.map((clock) => ({ ...clock, customerCount: countOf(customerCounts, clock.id), subscriptionCount: countOf(subscriptionCounts, clock.id) }));
}

export type TestClockCustomer = { id: string; name: string; email: string; createdAt: Date; card: { brand: string; last4: string } | null };
export type TestClockContract = {
  id: string;
  customerId: string;
  customerName: string;
  status: SubscriptionStatus;
  paidThrough: Date | null;
  planName: string;
  amount: number;
  currency: string;
  interval: BillingInterval;
};
export type TestClockOverview = { clock: typeof testClocks.$inferSelect; customers: TestClockCustomer[]; contracts: TestClockContract[] };

/** One clock with its customers (and their default card) and contracts, in the order they were made. */
export async function getTestClockOverview(ctx: ReadContext, id: string): Promise<TestClockOverview> {
  const clock = await getTestClock(ctx, id);
  const [customerRows, contractRows] = await Promise.all([
    ctx.db
      .select({ id: customers.id, name: customers.name, email: customers.email, createdAt: customers.createdAt, brand: paymentMethods.brand, last4: paymentMethods.last4 })
      .from(customers)
      .leftJoin(paymentMethods, eq(paymentMethods.id, customers.defaultPaymentMethodId))
      .where(and(eq(customers.merchantId, ctx.merchantId), eq(customers.testClockId, clock.id)))
      .orderBy(asc(customers.id)),
    ctx.db
      .select({
        id: subscriptions.id,
        customerId: subscriptions.customerId,
        customerName: customers.name,
        status: subscriptions.status,
        paidThrough: subscriptions.paidThrough,
        planName: plans.name,
        productName: products.name,
        amount: plans.amount,
        currency: plans.currency,
        interval: plans.interval,
      })
      .from(subscriptions)
      .innerJoin(customers, eq(customers.id, subscriptions.customerId))
      .innerJoin(plans, eq(plans.id, subscriptions.planId))
      .innerJoin(products, eq(products.id, plans.productId))
      .where(and(eq(subscriptions.merchantId, ctx.merchantId), eq(subscriptions.testClockId, clock.id)))
      .orderBy(asc(subscriptions.id)),
  ]);
  return {
    clock,
    customers: customerRows.map(({ brand, last4, ...c }) => ({ ...c, card: brand && last4 ? { brand, last4 } : null })),
    contracts: contractRows.map(({ planName, productName, ...c }) => ({ ...c, planName: planName ? `${productName} / ${planName}` : productName })),
  };
}
