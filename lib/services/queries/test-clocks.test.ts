import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { testClocks } from "@/db/schema";
import { openTestDatabase } from "@/test/support/database";
import { setupTestMerchant, type TestMerchant } from "@/test/support/merchant";
import { advanceTestClock } from "../advance-test-clock";
import { createPlan } from "../create-plan";
import { createProduct } from "../create-product";
import { createSubscription } from "../create-subscription";
import { createTestClock } from "../create-test-clock";
import { createTestClockCustomer } from "../create-test-clock-customer";
import { type ClockActivity, testClockActivity } from "./test-clock-activity";
import { getTestClockOverview, listTestClockSummaries } from "./test-clocks";

const KIND_ORDER = ["action", "invoice", "payment", "mail"];

/** Oldest first; at one instant contract by contract, and the action before the invoice it issued, the charge, the mail. */
function expectTimeOrder(entries: ClockActivity[], contracts: string[]) {
  for (let i = 1; i < entries.length; i++) {
    const [a, b] = [entries[i - 1]!, entries[i]!];
    expect(a.at.getTime()).toBeLessThanOrEqual(b.at.getTime());
    if (a.at.getTime() !== b.at.getTime()) continue;
    expect(contracts.indexOf(a.subscriptionId!)).toBeLessThanOrEqual(contracts.indexOf(b.subscriptionId!));
    if (a.subscriptionId === b.subscriptionId) expect(KIND_ORDER.indexOf(a.kind)).toBeLessThanOrEqual(KIND_ORDER.indexOf(b.kind));
  }
}

describe("what the test clock pages read", () => {
  let database: Database;
  let m: TestMerchant;
  let other: TestMerchant;
  // 12:00 JST on 10 January; a monthly plan signed up then renews at 00:00 JST on 10 February.
  const start = new Date("2027-01-10T03:00:00Z");
  const renewal = new Date("2027-02-09T15:00:00Z");

  beforeAll(async () => {
    database = await openTestDatabase();
    m = await setupTestMerchant(database);
    other = await setupTestMerchant(database);
  });
  afterAll(() => database.close());

  async function clockWithContracts(name: string) {
    const ctx = m.ctx();
    const clock = await createTestClock(ctx, { name, frozenTime: start });
    const product = await createProduct(ctx, { name: "ヨガ教室" });
    const plan = await createPlan(ctx, { productId: product.id, name: "月額", amount: 3300, interval: "month" });
    const paying = await createTestClockCustomer(ctx, { testClockId: clock.id, name: "試験 花子", email: "hanako@example.jp", card: "succeed" });
    const declining = await createTestClockCustomer(ctx, { testClockId: clock.id, name: "試験 太郎", email: "taro@example.jp", card: "decline" });
    const paid = await createSubscription(ctx, { customerId: paying.customer.id, planId: plan.id });
    const incomplete = await createSubscription(ctx, { customerId: declining.customer.id, planId: plan.id }).catch((error: { details: { subscriptionId: string } }) => ({ id: error.details.subscriptionId }));
    return { clock, plan, paying, declining, paid, incomplete };
  }

  it("lists the merchant's clocks newest first with their customer and contract counts, not another's or a deleted one", async () => {
    const first = await clockWithContracts("一つ目");
    const empty = await createTestClock(m.ctx(), { name: "空", frozenTime: start });
    const deleted = await createTestClock(m.ctx(), { name: "削除済み", frozenTime: start });
    await database.db.update(testClocks).set({ deleted: true }).where(eq(testClocks.id, deleted.id));
    await createTestClock(other.ctx(), { name: "他店", frozenTime: start });

    const clocks = await listTestClockSummaries(m.ctx());
    const mine = clocks.filter((c) => c.id === first.clock.id || c.id === empty.id || c.id === deleted.id);
    expect(mine.map((c) => [c.name, c.customerCount, c.subscriptionCount])).toEqual([
      ["空", 0, 0],
      ["一つ目", 2, 2],
    ]);
    expect(clocks.every((c) => c.merchantId === m.merchantId)).toBe(true);
  });

  it("reads one clock's customers with their card and its contracts with plan and status", async () => {
    const { clock, paying, declining, paid, incomplete } = await clockWithContracts("概要");
    const overview = await getTestClockOverview(m.ctx(), clock.id);
    expect(overview.clock).toMatchObject({ id: clock.id, name: "概要", frozenTime: start, status: "ready" });
    expect(overview.customers).toEqual([
      { id: paying.customer.id, name: "試験 花子", email: "hanako@example.jp", createdAt: start, card: { brand: "visa", last4: "4242" } },
      { id: declining.customer.id, name: "試験 太郎", email: "taro@example.jp", createdAt: start, card: { brand: "visa", last4: "0341" } },
    ]);
    expect(overview.contracts.map((c) => [c.id, c.customerName, c.status, c.planName, c.amount, c.interval])).toEqual([
      [paid.id, "試験 花子", "active", "ヨガ教室 / 月額", 3300, "month"],
      [incomplete.id, "試験 太郎", "incomplete", "ヨガ教室 / 月額", 3300, "month"],
    ]);
    await expect(getTestClockOverview(other.ctx(), clock.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("tells what ran on the clock in time order: the sign-ups, then the renewal's action, invoice, charge and mail", async () => {
    const { clock, paying, paid, incomplete } = await clockWithContracts("実行履歴");
    const before = await testClockActivity(m.ctx(), clock.id);
    // Nothing scheduled has run yet: only what the sign-ups did at the clock's start.
    expect(before.filter((e) => e.kind === "action")).toEqual([]);
    expect(before.every((e) => e.at.getTime() === start.getTime())).toBe(true);
    // The two sign-ups, one after the other: each one's first invoice, its charge (declined for 太郎) and mails.
    expect(before.map((e) => [e.subscriptionId, e.kind])).toEqual([
      [paid.id, "invoice"],
      [paid.id, "payment"],
      [paid.id, "mail"],
      [paid.id, "mail"],
      [incomplete.id, "invoice"],
      [incomplete.id, "payment"],
      [incomplete.id, "mail"],
      [incomplete.id, "mail"],
    ]);
    expect(before[5]).toMatchObject({ kind: "payment", customer: { name: "試験 太郎" }, event: { charge: "checkout", result: "failed", failureCode: "card_declined" } });

    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: new Date("2027-02-11T00:00:00Z") });
    const after = await testClockActivity(m.ctx(), clock.id);
    expectTimeOrder(after, [paid.id, incomplete.id]);
    expect(after.slice(0, before.length)).toEqual(before);

    const renewed = after.filter((e) => e.subscriptionId === paid.id && e.at.getTime() === renewal.getTime());
    expect(renewed.map((e) => e.kind)).toEqual(["action", "invoice", "payment", "mail"]);
    expect(renewed[0]).toMatchObject({ kind: "action", customer: { id: paying.customer.id, name: "試験 花子" }, event: { action: "renewal", state: "done" } });
    expect(renewed[1]).toMatchObject({ kind: "invoice", invoiceKind: "renewal", status: "paid", total: 3300, currency: "jpy" });
    expect(renewed[2]).toMatchObject({ kind: "payment", event: { charge: "renewal", result: "succeeded", amount: 3300 } });
    expect(renewed[3]).toMatchObject({ kind: "mail", template: "charge_succeeded", to: "hanako@example.jp" });

    // Another merchant reads nothing of it.
    await expect(testClockActivity(other.ctx(), clock.id)).rejects.toMatchObject({ code: "not_found" });
  });
});
