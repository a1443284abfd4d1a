import { and, eq, sql } from "drizzle-orm";
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

/** The contract query runs twice per charge (before and after the gateway call), so it is built once: see reusableQuery. */
const lockContractQuery = reusableQuery((db) =>
  db
    .select({ sub: subscriptions, plan: plans, product: products, merchant: merchants, customer: customers, clockTime: testClocks.frozenTime })
    .from(subscriptions)
    .innerJoin(plans, eq(plans.id, subscriptions.planId))
    .innerJoin(products, eq(products.id, plans.productId))
    .innerJoin(merchants, eq(merchants.id, subscriptions.merchantId))
    .innerJoin(customers, eq(customers.id, subscriptions.customerId))
    .leftJoin(testClocks, eq(testClocks.id, subscriptions.testClockId))
    .where(and(eq(subscriptions.id, sql.placeholder("subscriptionId")), eq(subscriptions.merchantId, sql.placeholder("merchantId"))))
    .for("update", { of: subscriptions })
    .prepare("lock_contract"),
);

/** Loads one contract of a merchant and locks its row until the transaction ends. */
export async function lockContract(tx: Db, merchantId: string, subscriptionId: string, clock: Clock): Promise<Contract> {
  const [row] = await lockContractQuery(tx).execute({ subscriptionId, merchantId });
  if (!row) throw notFound("subscription", subscriptionId, "subscription");
  return {
    ...row,
    terms: planTerms(row.plan),
    timeZone: row.merchant.timeZone,
    now: row.clockTime ?? clock.now(),
  };
}

/** The time a customer lives on: its test clock's, or the real one. */
export async function customerNow(tx: Db, testClockId: string | null, clock: Clock): Promise<Date> {
  if (!testClockId) return clock.now();
  const [row] = await tx.select({ frozenTime: testClocks.frozenTime }).from(testClocks).where(eq(testClocks.id, testClockId));
  return row?.frozenTime ?? clock.now();
}
