import { asc, eq } from "drizzle-orm";
import { inList } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { customers, merchants, plans, products, subscriptions, testClocks } from "@/db/schema";
import type { ContractFacts, PlanFacts } from "@/lib/billing/contract";
import type { PlanTerms } from "@/lib/billing/plan";
import type { Clock } from "../context";
import { notFound } from "../errors";

export type SubscriptionRow = typeof subscriptions.$inferSelect;
export type PlanRow = typeof plans.$inferSelect;
export type MerchantRow = typeof merchants.$inferSelect;
export type CustomerRow = typeof customers.$inferSelect;
export type ProductRow = typeof products.$inferSelect;

/** A contract with everything its billing rules need, locked for the caller's transaction. */
export type Contract = {
  sub: SubscriptionRow;
  plan: PlanRow;
  product: ProductRow;
  merchant: MerchantRow;
  customer: CustomerRow;
  /** The plan a pending change moves to, if any. */
  pendingPlan: PlanFacts | null;
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

// A bill run asks for the same few plans' facts for every contract: made once per loaded row.
const factsOfRow = new WeakMap<PlanRow, PlanFacts>();

export function planFacts(plan: PlanRow, product: Pick<ProductRow, "name">): PlanFacts {
  let facts = factsOfRow.get(plan);
  if (!facts) {
    facts = { ...planTerms(plan), id: plan.id, name: plan.name ?? product.name };
    factsOfRow.set(plan, facts);
  }
  return facts;
}

/** The contract as the pure rules see it, as it is now (the writer keeps `sub` up to date within a transaction). */
export function contractFacts(contract: Contract): ContractFacts {
  return {
    id: contract.sub.id,
    state: contract.sub,
    plan: planFacts(contract.plan, contract.product),
    settings: contract.merchant.billingSettings,
    timeZone: contract.timeZone,
    now: contract.now,
  };
}

/** Loads one contract of a merchant and locks its row until the transaction ends. */
export async function lockContract(tx: Db, merchantId: string, subscriptionId: string, clock: Clock): Promise<Contract> {
  const contract = (await lockContracts(tx, [{ merchantId, subscriptionId }], clock)).get(subscriptionId);
  if (!contract) throw notFound("subscription", subscriptionId, "subscription");
  return contract;
}

export type ContractRef = { merchantId: string; subscriptionId: string };

/**
 * Loads and locks contracts, in id order so that two runners locking overlapping sets wait for each other instead
 * of deadlocking. The subscription rows (locked) come with their customers; plans (and pending plans), products and
 * merchants are read once per plan in a second statement, since a bill run's contracts share a few plans. A
 * contract of another merchant than its reference says is left out.
 */
export async function lockContracts(tx: Db, refs: readonly ContractRef[], clock: Clock): Promise<Map<string, Contract>> {
  const contracts = new Map<string, Contract>();
  if (refs.length === 0) return contracts;
  const expected = new Map(refs.map((r) => [r.subscriptionId, r.merchantId]));
  const rows = await tx
    .select({ sub: subscriptions, customer: customers, clockTime: testClocks.frozenTime })
    .from(subscriptions)
    .innerJoin(customers, eq(customers.id, subscriptions.customerId))
    .leftJoin(testClocks, eq(testClocks.id, subscriptions.testClockId))
    .where(inList(subscriptions.id, [...expected.keys()]))
    .orderBy(asc(subscriptions.id))
    // NO KEY UPDATE: lockers still queue one behind another, but rows that merely reference the contract (an
    // invoice, a refund, an action inserted by another transaction) are not held up, which is what made two
    // refunds deadlock with FOR UPDATE.
    .for("no key update", { of: subscriptions });
  const mine = rows.filter((row) => expected.get(row.sub.id) === row.sub.merchantId);
  if (mine.length === 0) return contracts;
  const catalogue = await loadCatalogue(tx, mine.flatMap((row) => (row.sub.pendingPlanId ? [row.sub.planId, row.sub.pendingPlanId] : [row.sub.planId])));
  const now = clock.now();
  for (const { sub, customer, clockTime } of mine) {
    const entry = catalogue.get(sub.planId)!;
    const pending = sub.pendingPlanId ? catalogue.get(sub.pendingPlanId) : undefined;
    contracts.set(sub.id, {
      sub,
      customer,
      plan: entry.plan,
      product: entry.product,
      merchant: entry.merchant,
      pendingPlan: pending ? planFacts(pending.plan, pending.product) : null,
      timeZone: entry.merchant.timeZone,
      now: clockTime ?? now,
    });
  }
  return contracts;
}

type CatalogueEntry = { plan: PlanRow; product: ProductRow; merchant: MerchantRow };

async function loadCatalogue(tx: Db, planIds: readonly string[]): Promise<Map<string, CatalogueEntry>> {
  const ids = [...new Set(planIds)];
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ plan: plans, product: products, merchant: merchants })
    .from(plans)
    .innerJoin(products, eq(products.id, plans.productId))
    .innerJoin(merchants, eq(merchants.id, plans.merchantId))
    .where(inList(plans.id, ids));
  return new Map(rows.map((entry) => [entry.plan.id, entry]));
}

/** Plans as the rules see them, by id (e.g. the plan an invoice bills). */
export async function loadPlanFacts(tx: Db, planIds: readonly string[]): Promise<Map<string, PlanFacts>> {
  const catalogue = await loadCatalogue(tx, planIds);
  return new Map([...catalogue].map(([id, entry]) => [id, planFacts(entry.plan, entry.product)]));
}

/** The time a customer lives on: its test clock's, or the real one. */
export async function customerNow(tx: Db, testClockId: string | null, clock: Clock): Promise<Date> {
  if (!testClockId) return clock.now();
  const [row] = await tx.select({ frozenTime: testClocks.frozenTime }).from(testClocks).where(eq(testClocks.id, testClockId));
  return row?.frozenTime ?? clock.now();
}
