import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { plans, products } from "@/db/schema";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { updateTokushohoUrl } from "@/lib/services/update-tokushoho-url";
import { openTestDatabase } from "@/test/support/database";
import { setupTestMerchant, type TestMerchant } from "@/test/support/merchant";
import { listCheckoutPlanChoices } from "./checkout-links";
import { getTokushohoUrl } from "./merchant";

describe("what the checkout links page reads", () => {
  let database: Database;
  let m: TestMerchant;
  let other: TestMerchant;

  beforeAll(async () => {
    database = await openTestDatabase();
    m = await setupTestMerchant(database);
    other = await setupTestMerchant(database);
  });
  afterAll(() => database.close());

  it("offers active plans of active products, grouped by product name, and nothing of another merchant", async () => {
    const ctx = m.ctx();
    const yoga = await createProduct(ctx, { name: "ヨガ" });
    const english = await createProduct(ctx, { name: "英会話" });
    const closed = await createProduct(ctx, { name: "終了した講座" });
    const yogaMonthly = await createPlan(ctx, { productId: yoga.id, name: "月額", amount: 3300, interval: "month" });
    const yogaRetired = await createPlan(ctx, { productId: yoga.id, name: "旧プラン", amount: 3000, interval: "month" });
    const englishYearly = await createPlan(ctx, { productId: english.id, name: "年額", amount: 60000, interval: "year" });
    await createPlan(ctx, { productId: closed.id, amount: 1000, interval: "month" });
    await database.db.update(plans).set({ active: false }).where(eq(plans.id, yogaRetired.id));
    await database.db.update(products).set({ active: false }).where(eq(products.id, closed.id));
    const theirs = await createProduct(other.ctx(), { name: "他店の商品" });
    await createPlan(other.ctx(), { productId: theirs.id, amount: 500, interval: "month" });

    const choices = await listCheckoutPlanChoices(ctx);
    expect(choices.map((c) => [c.productName, c.name, c.amount, c.interval])).toEqual([
      ["ヨガ", "月額", 3300, "month"],
      ["英会話", "年額", 60000, "year"],
    ]);
    expect(choices.map((c) => c.id)).toEqual([yogaMonthly.id, englishYearly.id]);
  });

  it("reads the merchant's own 特定商取引法 URL, null until set", async () => {
    expect(await getTokushohoUrl(m.ctx())).toBeNull();
    await updateTokushohoUrl(m.ctx(), { url: "https://shop.example.jp/tokushoho" });
    expect(await getTokushohoUrl(m.ctx())).toBe("https://shop.example.jp/tokushoho");
    expect(await getTokushohoUrl(other.ctx())).toBeNull();
  });
});
