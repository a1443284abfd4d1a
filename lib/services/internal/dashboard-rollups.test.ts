import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/bulk-write";
import type { Database } from "@/db/client";
import { runDueBatch } from "@/lib/runner/embedded-runner";
import { openTestDatabase } from "@/test/support/database";
import { jst, setupTestMerchant, type TestMerchant } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import { addPaymentMethod } from "../add-payment-method";
import { cancelSubscription } from "../cancel-subscription";
import { changePlan } from "../change-plan";
import type { Clock } from "../context";
import { createCustomer } from "../create-customer";
import { createPlan } from "../create-plan";
import { createProduct } from "../create-product";
import { createSubscription } from "../create-subscription";
import { pauseSubscription } from "../pause-subscription";
import { dashboard } from "../queries/dashboard";
import { resumeSubscription } from "../resume-subscription";
import { updateTimeZone } from "../update-time-zone";

/**
 * The dashboard's rollups are kept by triggers (migration 0016) on every write of the engine. After each step of real
 * contracts' lives — sign-ups with a trial and a joining fee, renewals, declines, retries that recover, plan changes,
 * pauses, cancellations, withdrawal — the kept rows must sum to what dashboard_rollups_recount counts from the rows as
 * they are (on real time: test clocks' contracts count nowhere, so these contracts are on the platform's clock).
 */

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

type Row = { measure: string; plan_id: string; day: string; n: string; amount: string };

async function kept(merchantId: string): Promise<Row[]> {
  return rowsOf<Row>(
    await database.db.execute(sql`
      select measure, plan_id, day::text as day, sum(n)::text as n, sum(amount)::text as amount from (
        select measure, plan_id, day, n, amount from dashboard_rollups where merchant_id = ${merchantId}
        union all select measure, plan_id, day, n, amount from dashboard_rollup_changes where merchant_id = ${merchantId}
      ) k group by 1, 2, 3 having sum(n) <> 0 or sum(amount) <> 0 order by 1, 2, 3`),
  );
}

async function recounted(merchantId: string): Promise<Row[]> {
  return rowsOf<Row>(
    await database.db.execute(sql`
      select measure, plan_id, day::text as day, n::text as n, amount::text as amount from dashboard_rollups_recount(${merchantId})
      where n <> 0 or amount <> 0 order by 1, 2, 3`),
  );
}

/** A merchant on a clock the test moves, with a runner pass that runs whatever fell due. */
async function realTimeMerchant(start: Date) {
  let now = start;
  const clock: Clock = { now: () => new Date(now.getTime()) };
  const m: TestMerchant = await setupTestMerchant(database, { now: start });
  const ctx = () => m.ctx(clock);
  const platform = testPlatform(database.db, { clock, gateway: m.gateway });
  const product = await createProduct(ctx(), { name: "ヨガ教室" });
  const monthly = await createPlan(ctx(), { productId: product.id, amount: 3300, interval: "month", billingDay: 1, firstPeriod: "prorate", joiningFee: 2000, trialDays: 7 });
  const weekly = await createPlan(ctx(), { productId: product.id, amount: 880, interval: "week", taxBehavior: "exclusive", taxRate: 8 });
  const yearly = await createPlan(ctx(), { productId: product.id, amount: 33000, interval: "year" });
  const customer = async (name: string, behavior = "succeed") => {
    const c = await createCustomer(ctx(), { email: `${name}@example.jp`, name });
    const token = await m.gateway.testControls.createToken({ number: "4242424242424242", expMonth: 12, expYear: 2035, cvc: "123" }, now);
    const card = await addPaymentMethod(ctx(), { customerId: c.id, token: token.id });
    await m.gateway.testControls.setCardBehavior(card.gatewayRef, behavior);
    return { customer: c, card };
  };
  const advance = async (days: number) => {
    const until = new Date(now.getTime() + days * 86_400_000);
    // A day at a time, as a runner that runs every few minutes would: each action runs at its own day.
    while (now < until) {
      now = new Date(Math.min(until.getTime(), now.getTime() + 86_400_000));
      while ((await runDueBatch({ platform, batchSize: 200, concurrency: 2, leaseSeconds: 60 })) > 0);
    }
  };
  return { m, ctx, clock, plans: { monthly, weekly, yearly }, customer, advance, now: () => now };
}

describe("dashboard rollups kept by triggers", () => {
  it("equal a recount after every step of contracts' lives", async () => {
    const t = await realTimeMerchant(jst("2027-01-10T10:00:00"));
    const check = async (step: string) => expect(await kept(t.m.merchantId), step).toEqual(await recounted(t.m.merchantId));

    const a = await t.customer("a");
    const b = await t.customer("b", "insufficient_funds");
    const c = await t.customer("c");
    const d = await t.customer("d");
    const subA = await createSubscription(t.ctx(), { customerId: a.customer.id, planId: t.plans.monthly.id });
    const subB = await createSubscription(t.ctx(), { customerId: b.customer.id, planId: t.plans.weekly.id }).catch((e) => e.details);
    const subC = await createSubscription(t.ctx(), { customerId: c.customer.id, planId: t.plans.weekly.id });
    const subD = await createSubscription(t.ctx(), { customerId: d.customer.id, planId: t.plans.yearly.id });
    await check("sign-ups (one declined at once)");

    await t.advance(8);
    await check("trial ended, weekly renewals");

    // C's card starts failing: a renewal whose first attempt fails, then recovers at a retry.
    await t.m.gateway.testControls.setCardBehavior(c.card.gatewayRef, "insufficient_funds");
    await t.advance(7);
    await check("a renewal failed");
    await t.m.gateway.testControls.setCardBehavior(c.card.gatewayRef, "succeed");
    await t.advance(10);
    await check("recovered at a retry");

    await changePlan(t.ctx(), { subscriptionId: subA.id, planId: t.plans.yearly.id, when: "period_end" });
    await check("plan change at period end (pending renewals move to the new plan)");
    await changePlan(t.ctx(), { subscriptionId: subD.id, planId: t.plans.weekly.id, when: "now", proration: "none" });
    await check("plan change now");
    await pauseSubscription(t.ctx(), { subscriptionId: subC.id, resumeAt: new Date(t.now().getTime() + 20 * 86_400_000) });
    await check("paused");
    await cancelSubscription(t.ctx(), { subscriptionId: subD.id, atPeriodEnd: true });
    await t.advance(40);
    await check("resumed, renewed, canceled at period end, B withdrawn or dunned");
    await resumeSubscription(t.ctx(), { subscriptionId: subD.id }).catch(() => undefined);
    await cancelSubscription(t.ctx(), { subscriptionId: subA.id, atPeriodEnd: false });
    await t.advance(100);
    await check("a long run");

    // The figures come from the rollups: something was counted in each measure.
    const measures = new Set((await kept(t.m.merchantId)).map((r) => r.measure));
    expect([...measures].sort()).toEqual(["ended", "failed_renewal", "recovered_renewal", "renewal_due", "started"]);
    expect(subB).toBeTruthy();
  }, 120_000);

  it("a time zone change recounts them on the new zone's days", async () => {
    const t = await realTimeMerchant(jst("2027-03-31T23:30:00"));
    const a = await t.customer("tz");
    await createSubscription(t.ctx(), { customerId: a.customer.id, planId: t.plans.weekly.id });
    const before = await kept(t.m.merchantId);
    expect(before.find((r) => r.measure === "started")).toMatchObject({ plan_id: t.plans.weekly.id, day: "2027-03-31" });
    // Renewals fall due at local midnight: 7 April 00:00 in Tokyo.
    expect(before.find((r) => r.measure === "renewal_due")).toMatchObject({ plan_id: t.plans.weekly.id, day: "2027-04-07" });
    await updateTimeZone(t.ctx(), { timeZone: "Pacific/Honolulu" });
    // 23:30 on the 31st in Tokyo is 04:30 on the 31st in Honolulu; the renewal already planned keeps its moment,
    // 7 April 00:00 in Tokyo, which is 6 April 05:00 in Honolulu: its day moves.
    const rows = await kept(t.m.merchantId);
    expect(rows).toEqual(await recounted(t.m.merchantId));
    expect(rows.find((r) => r.measure === "started")).toMatchObject({ day: "2027-03-31" });
    expect(rows.find((r) => r.measure === "renewal_due")).toMatchObject({ day: "2027-04-06" });
    const figures = await dashboard({ db: database.db, merchantId: t.m.merchantId, clock: t.clock });
    expect(figures.timeZone).toBe("Pacific/Honolulu");
    expect(figures.mrr).toBe(Math.round((880 * 52) / 12));
  });
});
