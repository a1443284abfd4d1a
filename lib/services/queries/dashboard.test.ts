import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { customers, invoices, paymentAttempts, plans, products, scheduledActions, subscriptions, testClocks } from "@/db/schema";
import { chargeOf } from "@/lib/billing/dashboard-metrics";
import { newId } from "@/lib/ids";
import { openTestDatabase } from "@/test/support/database";
import { setupTestMerchant, type TestMerchant } from "@/test/support/merchant";
import {
  DASHBOARD_CONTRACTS,
  DASHBOARD_EXPECTED,
  DASHBOARD_FAILED_RENEWALS,
  DASHBOARD_NOW,
  DASHBOARD_PLANS,
  DASHBOARD_UPCOMING,
  type DashboardPlanKey,
} from "@/test/fixtures/dashboard-history";
import { fixedClock } from "../context";
import { dashboard } from "./dashboard";

/**
 * The hand-built history of test/fixtures/dashboard-history.ts written as rows, with what the figures must leave out
 * around it: a test clock's contract and invoices, a first charge after a trial that failed, a renewal paid at once,
 * actions that are not pending renewals, and another merchant's contracts.
 */
async function writeHistory(m: TestMerchant): Promise<void> {
  const { db } = m.database;
  const merchantId = m.merchantId;
  const productId = newId("prod");
  await db.insert(products).values({ id: productId, merchantId, name: "ダッシュボード講座" });
  const planIds = Object.fromEntries(Object.keys(DASHBOARD_PLANS).map((key) => [key, newId("plan")])) as Record<DashboardPlanKey, string>;
  await db.insert(plans).values(
    Object.entries(DASHBOARD_PLANS).map(([key, plan]) => ({ id: planIds[key as DashboardPlanKey], merchantId, productId, currency: "jpy", firstPeriod: "full" as const, ...plan })),
  );
  const clockId = newId("clock");
  await db.insert(testClocks).values({ id: clockId, merchantId, name: "clock", frozenTime: DASHBOARD_NOW });
  const contracts = [
    ...DASHBOARD_CONTRACTS.map((c) => ({ ...c, testClockId: null as string | null })),
    // On a test clock: bears MRR by every other measure, counts nowhere.
    { name: "clock", plan: "yearly" as const, status: "active" as const, createdAt: new Date("2027-01-05T00:00:00Z"), trialEnd: null, paid: true, endedAt: null, testClockId: clockId },
  ];
  const subId = new Map<string, string>();
  const customerId = new Map<string, string>();
  for (const c of contracts) {
    subId.set(c.name, newId("sub"));
    customerId.set(c.name, newId("cus"));
  }
  await db.insert(customers).values(contracts.map((c) => ({ id: customerId.get(c.name)!, merchantId, email: `${c.name}@example.jp`, name: c.name, testClockId: c.testClockId })));
  await db.insert(subscriptions).values(
    contracts.map((c) => ({
      id: subId.get(c.name)!,
      merchantId,
      customerId: customerId.get(c.name)!,
      planId: planIds[c.plan],
      testClockId: c.testClockId,
      status: c.status,
      billingAnchor: 1,
      trialStart: c.trialEnd ? c.createdAt : null,
      trialEnd: c.trialEnd,
      lastPaymentAt: c.paid ? c.createdAt : null,
      endedAt: c.endedAt,
      canceledAt: c.endedAt,
      createdAt: c.createdAt,
    })),
  );
  const planOf = (name: string) => DASHBOARD_PLANS[contracts.find((c) => c.name === name)!.plan];
  const invoice = async (contract: string, kind: "renewal" | "first", attempts: { at: Date; ok: boolean }[]) => {
    const id = newId("in");
    const total = chargeOf(planOf(contract));
    const paid = attempts.find((a) => a.ok);
    await db.insert(invoices).values({
      id,
      merchantId,
      subscriptionId: subId.get(contract)!,
      customerId: customerId.get(contract)!,
      kind,
      status: paid ? "paid" : "open",
      currency: "jpy",
      subtotal: total,
      tax: 0,
      total,
      billingKey: id,
      attemptCount: attempts.length,
      paidAt: paid?.at ?? null,
      issuedAt: attempts[0]!.at,
    });
    await db.insert(paymentAttempts).values(
      attempts.map((a, i) => ({
        id: newId("pa"),
        merchantId,
        invoiceId: id,
        attemptNumber: i + 1,
        idempotencyKey: `${id}:${i + 1}`,
        amount: total,
        currency: "jpy",
        status: a.ok ? ("succeeded" as const) : ("failed" as const),
        trigger: "scheduled" as const,
        attemptedAt: a.at,
        completedAt: a.at,
      })),
    );
  };
  for (const f of DASHBOARD_FAILED_RENEWALS) await invoice(f.contract, "renewal", [{ at: f.failedAt, ok: false }, ...(f.paidAt ? [{ at: f.paidAt, ok: true }] : [])]);
  await invoice("B", "first", [{ at: new Date("2027-02-01T00:00:00+09:00"), ok: false }, { at: new Date("2027-02-02T00:00:00+09:00"), ok: true }]);
  await invoice("A", "renewal", [{ at: new Date("2027-01-10T00:00:00+09:00"), ok: true }]);
  await invoice("clock", "renewal", [{ at: new Date("2027-02-05T00:00:00+09:00"), ok: false }, { at: new Date("2027-02-06T00:00:00+09:00"), ok: true }]);

  const action = (contract: string, dueAt: Date, kind: "renewal" | "retry" = "renewal", status: "pending" | "canceled" = "pending") => ({
    id: newId("act"),
    merchantId,
    subscriptionId: subId.get(contract)!,
    testClockId: contracts.find((c) => c.name === contract)!.testClockId,
    kind,
    status,
    dueAt,
    idempotencyKey: newId("act"),
  });
  await db.insert(scheduledActions).values([
    ...DASHBOARD_UPCOMING.map((u) => action(u.contract, u.dueAt)),
    action("G", new Date("2027-03-16T00:00:00Z"), "retry"),
    action("A", new Date("2027-03-17T00:00:00Z"), "renewal", "canceled"),
    action("clock", new Date("2027-03-17T00:00:00Z")),
  ]);
}

describe("dashboard", () => {
  let database: Database;
  let m: TestMerchant;
  beforeAll(async () => {
    database = await openTestDatabase();
    const other = await setupTestMerchant(database);
    await writeHistory(other);
    m = await setupTestMerchant(database);
    await writeHistory(m);
  });
  afterAll(async () => database.close());

  it("computes in SQL the exact figures the pure definitions give for the hand-built history", async () => {
    const figures = await dashboard(m.ctx(fixedClock(DASHBOARD_NOW)), 3);
    expect(figures).toEqual({ ...DASHBOARD_EXPECTED, timeZone: "Asia/Tokyo", currency: "jpy" });
  });

  it("a year of months, the last one the current month", async () => {
    const figures = await dashboard(m.ctx(fixedClock(DASHBOARD_NOW)));
    expect(figures.months).toHaveLength(12);
    expect(figures.months[0]).toMatchObject({ month: "2026-04", mrr: 0 });
    // G started in October, C in November, A in December.
    expect(figures.months.slice(6, 9).map((f) => f.newMrr)).toEqual([1000, 1000, 1000]);
    expect(figures.months.slice(9)).toEqual(DASHBOARD_EXPECTED.months);
  });

  it("months are cut in the merchant's time zone", async () => {
    // In UTC, B's trial ended on January 31 and E's renewal failed in January.
    const utc = await setupTestMerchant(database, { timeZone: "UTC" });
    await writeHistory(utc);
    const figures = await dashboard(utc.ctx(fixedClock(DASHBOARD_NOW)), 3);
    expect(figures.months[0]).toMatchObject({ month: "2027-01", newMrr: 2167, failedRenewals: 1, recoveredRenewals: 1, recoveredAmount: 3300 });
    expect(figures.mrr).toBe(DASHBOARD_EXPECTED.mrr);
  });

  it("a merchant with no contracts: zeros, and no rate", async () => {
    const empty = await setupTestMerchant(database);
    const figures = await dashboard(empty.ctx(fixedClock(DASHBOARD_NOW)), 2);
    expect(figures.mrr).toBe(0);
    expect(figures.counts).toEqual({ active: 0, trialing: 0, past_due: 0, unpaid: 0 });
    expect(figures.months.map((f) => [f.churnRate, f.recoveryRate])).toEqual([
      [null, null],
      [null, null],
    ]);
    expect(figures.upcoming30).toEqual({ count: 0, amount: 0 });
  });
});
