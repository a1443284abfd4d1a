import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { addPaymentMethod } from "@/lib/services/add-payment-method";
import { fixedClock } from "@/lib/services/context";
import { createCustomer } from "@/lib/services/create-customer";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { createSubscription } from "@/lib/services/create-subscription";
import { setTestCardBehavior } from "@/lib/services/set-test-card-behavior";
import { openTestDatabase } from "@/test/support/database";
import { rejection, setupTestMerchant, type TestMerchant } from "@/test/support/merchant";
import { getCustomerOverview, searchCustomers } from "./customers";
import { containsPattern, searchTerms } from "./text-match";

describe("search terms", () => {
  it("normalises full-width text and splits on any white space", () => {
    expect(searchTerms("  佐藤　花子 ")).toEqual(["佐藤", "花子"]);
    expect(searchTerms("ｓａｔｏ＠ＥＸＡＭＰＬＥ")).toEqual(["sato@EXAMPLE"]);
    expect(searchTerms("ｻﾄｳ")).toEqual(["サトウ"]);
    expect(searchTerms("")).toEqual([]);
    expect(searchTerms(null)).toEqual([]);
  });

  it("takes LIKE's wildcards literally", () => {
    expect(containsPattern("100%_a\\b")).toBe("%100\\%\\_a\\\\b%");
  });
});

describe("customers for the console", () => {
  let database: Database;
  let m: TestMerchant;
  let other: TestMerchant;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await openTestDatabase();
    m = await setupTestMerchant(database);
    other = await setupTestMerchant(database);
    // Created a minute apart, in this order: newest first is the reverse.
    const people = [
      ["hanako", "佐藤 花子", "hanako.sato@example.jp"],
      ["ichiro", "鈴木 一郎", "ichiro@example.com"],
      ["sakura", "伊藤 さくら（満足度100%）", "sakura_ito@example.jp"],
      ["emily", "Emily Clark", "emily.clark@example.com"],
      ["hanae", "佐藤花恵", "hanae@example.jp"],
    ] as const;
    for (const [i, [key, name, email]] of people.entries()) {
      ids[key] = (await createCustomer(m.ctx(fixedClock(new Date(Date.UTC(2027, 0, 1, 0, i)))), { name, email })).id;
    }
    ids.stranger = (await createCustomer(other.ctx(), { name: "佐藤 他店", email: "stranger@example.jp" })).id;
  });
  afterAll(async () => database.close());

  const names = async (q: string, sort: "newest" | "name" = "newest") => (await searchCustomers({ db: database.db, merchantId: m.merchantId }, { q, sort })).rows.map((r) => r.name);

  it("finds Japanese names by any part, word by word, and never another merchant's customers", async () => {
    expect(await names("佐藤")).toEqual(["佐藤花恵", "佐藤 花子"]);
    expect(await names("花子")).toEqual(["佐藤 花子"]);
    // Two words: both must appear, in any order and with or without the space in the name.
    expect(await names("花 佐藤")).toEqual(["佐藤花恵", "佐藤 花子"]);
    expect(await names("佐藤　花恵")).toEqual(["佐藤花恵"]);
    expect(await names("佐藤 一郎")).toEqual([]);
    expect(await names("他店")).toEqual([]);
  });

  it("finds emails by any part, ignoring case and full-width letters", async () => {
    expect(await names("EXAMPLE.COM")).toEqual(["Emily Clark", "鈴木 一郎"]);
    expect(await names("ｓａｋｕｒａ")).toEqual(["伊藤 さくら（満足度100%）"]);
    // % and _ are characters, not wildcards.
    expect(await names("100%")).toEqual(["伊藤 さくら（満足度100%）"]);
    expect(await names("%")).toEqual(["伊藤 さくら（満足度100%）"]);
    expect(await names("_")).toEqual(["伊藤 さくら（満足度100%）"]);
  });

  it("finds a customer by id, only the merchant's own", async () => {
    expect(await names(ids.ichiro!)).toEqual(["鈴木 一郎"]);
    expect(await names(ids.stranger!)).toEqual([]);
  });

  it("sorts by newest or by name, and pages with the total", async () => {
    expect(await names("")).toEqual(["佐藤花恵", "Emily Clark", "伊藤 さくら（満足度100%）", "鈴木 一郎", "佐藤 花子"]);
    const byName = await names("", "name");
    expect(byName).toEqual([...byName].sort((a, b) => (a < b ? -1 : 1)));
    expect(byName).toHaveLength(5);

    const ctx = { db: database.db, merchantId: m.merchantId };
    // Page sizes are the console's 25/50/100; a page past the end is empty but still counts the total.
    const page = await searchCustomers(ctx, { perPage: 25, page: 1 });
    expect(page).toMatchObject({ total: 5, page: 1, perPage: 25, pageCount: 1 });
    expect(await searchCustomers(ctx, { page: 2 })).toMatchObject({ rows: [], total: 5, pageCount: 1 });
    const many = await setupTestMerchant(database);
    for (let i = 0; i < 27; i++) await createCustomer(many.ctx(fixedClock(new Date(Date.UTC(2027, 0, 2, 0, i)))), { name: `試験 ${String(i).padStart(2, "0")}`, email: `t${i}@example.jp` });
    const second = await searchCustomers({ db: database.db, merchantId: many.merchantId }, { page: 2, sort: "name" });
    expect(second).toMatchObject({ total: 27, pageCount: 2 });
    expect(second.rows.map((r) => r.name)).toEqual(["試験 25", "試験 26"]);
  });

  it("keeps a customer's address only when it reads as one", async () => {
    const address = { postalCode: "150-0001", prefecture: "東京都", city: "渋谷区", line1: "神宮前1-2-3" };
    const before = (await searchCustomers({ db: database.db, merchantId: m.merchantId }, {})).total;
    for (const bad of [{ ...address, postalCode: "150-001" }, { ...address, prefecture: "" }, { ...address, line1: undefined }]) {
      expect(await rejection(createCustomer(m.ctx(), { name: "住所 不正", email: "bad-address@example.jp", address: bad as never }))).toMatchObject({ code: "invalid" });
    }
    expect((await searchCustomers({ db: database.db, merchantId: m.merchantId }, {})).total).toBe(before);
  });

  it("refuses a page size the console does not offer", async () => {
    const ctx = { db: database.db, merchantId: m.merchantId };
    expect(await rejection(searchCustomers(ctx, { perPage: 30 as 25 }))).toMatchObject({ code: "invalid" });
    expect(await rejection(searchCustomers(ctx, { page: 0 }))).toMatchObject({ code: "invalid" });
  });

  it("shows a customer with contracts by status, cards with the contracts on them, invoices and mails", async () => {
    const ctx = m.ctx();
    const product = await createProduct(ctx, { name: "ヨガ教室" });
    const plan = await createPlan(ctx, { productId: product.id, name: "月会費", amount: 8800, interval: "month" });
    const customer = await createCustomer(ctx, {
      name: "高橋 美咲",
      email: "misaki@example.jp",
      phone: "090-1234-5678",
      address: { postalCode: "１５０－０００１", prefecture: "東京都", city: "渋谷区", line1: "神宮前1-2-3" },
    });
    const token = async (number: string) => (await m.gateway.testControls.createToken({ number, expMonth: 12, expYear: 2030, cvc: "123" }, new Date("2027-01-01T00:00:00Z"))).id;
    const first = await addPaymentMethod(ctx, { customerId: customer.id, token: await token("4242424242424242") });
    const paid = await createSubscription(ctx, { customerId: customer.id, planId: plan.id });
    const second = await addPaymentMethod(ctx, { customerId: customer.id, token: await token("5555555555554444") });
    await setTestCardBehavior(ctx, { paymentMethodId: second.id, behavior: "decline" });
    const declined = await rejection(createSubscription(ctx, { customerId: customer.id, planId: plan.id }));

    const list = await searchCustomers({ db: database.db, merchantId: m.merchantId }, { q: "美咲" });
    expect(list.rows).toEqual([expect.objectContaining({ id: customer.id, phone: "090-1234-5678", contracts: { active: 1, incomplete: 1 } })]);

    const overview = await getCustomerOverview({ db: database.db, merchantId: m.merchantId }, customer.id);
    expect(overview.customer).toMatchObject({ name: "高橋 美咲", address: { postalCode: "150-0001", prefecture: "東京都" } });
    const incompleteId = declined.details.subscriptionId as string;
    expect(overview.contracts.map((c) => [c.id, c.status, c.productName, c.planName, c.amount])).toEqual([
      [incompleteId, "incomplete", "ヨガ教室", "月会費", 8800],
      [paid.id, "active", "ヨガ教室", "月会費", 8800],
    ]);
    expect(overview.cards.map((c) => [c.id, c.brand, c.last4, c.isDefault, c.contractIds])).toEqual([
      [second.id, "mastercard", "4444", true, [incompleteId]],
      [first.id, "visa", "4242", false, [paid.id]],
    ]);
    expect(overview.invoices.total).toBe(2);
    expect(overview.invoices.rows.map((i) => [i.subscriptionId, i.kind, i.status, i.total]).sort()).toEqual(
      [
        [incompleteId, "first", "open", 8800],
        [paid.id, "first", "paid", 8800],
      ].sort(),
    );
    expect(overview.mails.rows.map((x) => x.template).sort()).toEqual(["charge_failed", "charge_succeeded", "welcome", "welcome"]);
    expect(overview.mails.total).toBe(4);

    // Another merchant's customer does not exist here.
    expect(await rejection(getCustomerOverview({ db: database.db, merchantId: m.merchantId }, ids.stranger!))).toMatchObject({ code: "not_found" });
  });
});
