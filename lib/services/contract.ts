import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { reusableQuery } from "@/db/reusable-query";
import { customers, merchants, plans, products, subscriptions, testClocks } from "@/db/schema";
import type { PlanTerms } from "@/lib/billing/plan";
import type { Clock } from "./context";
import { notFound } from "./errors";

export type SubscriptionRow = typeof subscriptions.$inferSelect;
export type PlanRow = typeof plans.$inferSelect;
export type MerchantRow = typeof merchants.$inferSelect;
export type CustomerRow = typeof customers.$inferSelect;
export type ProductRow = typeof products.$inferSelect;

/** A contract with everything its billing rules need, locked for the caller's transaction. */
export type Contract = {
  sub: SubscriptionRow;
  plan: PlanRow;
  terms: PlanTerms;
  product: ProductRow;
  merchant: MerchantRow;
  customer: CustomerRow;
  timeZone: string;
  /** The contract's time: its test clock's frozen time, or the caller's clock. */
  now: Date;
};

export function planTerms(plan: PlanRow): PlanTerms {
  return {
    amount: plan.amount,
    currency: plan.currency,
    interval: plan.interval,
    billingDay: plan.billingDay,
    firstPeriod: plan.firstPeriod,
    trialDays: plan.trialDays,
    trialUntil: plan.trialUntil,
    trialReminderDays: plan.trialReminderDays,
    joiningFee: plan.joiningFee,
    taxBehavior: plan.taxBehavior,
    taxRate: plan.taxRate,
    usageRates: plan.usageRates,
    retryScheduleDays: plan.retryScheduleDays ?? null,
  };
}

const contractColumns = { sub: subscriptions, plan: plans, product: products, merchant: merchants, customer: customers, clockTime: testClocks.frozenTime };

function contractQuery(db: Db) {
  return db
    .select(contractColumns)
    .from(subscriptions)
    .innerJoin(plans, eq(plans.id, subscriptions.planId))
    .innerJoin(products, eq(products.id, plans.productId))
    .innerJoin(merchants, eq(merchants.id, subscriptions.merchantId))
    .innerJoin(customers, eq(customers.id, subscriptions.customerId))
    .leftJoin(testClocks, eq(testClocks.id, subscriptions.testClockId));
}

type ContractRow = Awaited<ReturnType<ReturnType<typeof contractQuery>["execute"]>>[number];

function contractOf(row: ContractRow, now: Date): Contract {
  const { clockTime, ...rest } = row;
  return { ...rest, terms: planTerms(row.plan), timeZone: row.merchant.timeZone, now: clockTime ?? now };
}

/** The contract query runs twice per charge (before and after the gateway call), so it is built once: see reusableQuery. */
const lockContractQuery = reusableQuery((db) =>
  contractQuery(db)
    .where(and(eq(subscriptions.id, sql.placeholder("subscriptionId")), eq(subscriptions.merchantId, sql.placeholder("merchantId"))))
    .for("update", { of: subscriptions })
    .prepare("lock_contract"),
);

/** Loads one contract of a merchant and locks its row until the transaction ends. */
export async function lockContract(tx: Db, merchantId: string, subscriptionId: string, clock: Clock): Promise<Contract> {
  const [row] = await lockContractQuery(tx).execute({ subscriptionId, merchantId });
  if (!row) throw notFound("subscription", subscriptionId, "subscription");
  return contractOf(row, clock.now());
}

export type ContractRef = { merchantId: string; subscriptionId: string };

/**
 * Loads and locks many contracts in one statement, in id order so that two runners locking overlapping sets wait
 * for each other instead of deadlocking. A contract of another merchant than its reference says is left out.
 */
export async function lockContracts(tx: Db, refs: readonly ContractRef[], clock: Clock): Promise<Map<string, Contract>> {
  const contracts = new Map<string, Contract>();
  if (refs.length === 0) return contracts;
  const expected = new Map(refs.map((r) => [r.subscriptionId, r.merchantId]));
  const rows = await contractQuery(tx)
    .where(inArray(subscriptions.id, [...expected.keys()]))
    .orderBy(asc(subscriptions.id))
    .for("update", { of: subscriptions });
  const now = clock.now();
  for (const row of rows) if (expected.get(row.sub.id) === row.sub.merchantId) contracts.set(row.sub.id, contractOf(row, now));
  return contracts;
}

/** The time a customer lives on: its test clock's, or the real one. */
export async function customerNow(tx: Db, testClockId: string | null, clock: Clock): Promise<Date> {
  if (!testClockId) return clock.now();
  const [row] = await tx.select({ frozenTime: testClocks.frozenTime }).from(testClocks).where(eq(testClocks.id, testClockId));
  return row?.frozenTime ?? clock.now();
}
