/**
 * 郵便番号から住所: the checkout and mypage address forms fill the prefecture and city from the postal code (offline
 * KEN_ALL data behind /api/address-lookup), offer a list when a code has several addresses, say quietly when a code
 * is unknown, never overwrite what the customer typed, and wait for the IME to confirm what it is composing.
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Page } from "@playwright/test";
import { customers } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { createCheckoutLink } from "@/lib/services/create-checkout-link";
import { createCustomer } from "@/lib/services/create-customer";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { expect, expectAccessible, test, type ServerData } from "./support/fixtures";

test.use({ signedInAs: null });

async function checkoutWithAddress(page: Page, server: ServerData) {
  const ctx = await server.as("owner");
  const product = await createProduct(ctx, { name: `定期便 ${randomUUID().slice(0, 6)}` });
  const plan = await createPlan(ctx, { productId: product.id, amount: 2200, interval: "month" });
  const link = await createCheckoutLink(ctx, { planId: plan.id, collect: { address: true } });
  await page.goto(`/checkout/${link.id}`);
  await expect(page.getByRole("heading", { name: "お申し込み内容の確認" })).toBeVisible();
}

/** Counts the lookups the page asks for. */
function lookups(page: Page) {
  const seen: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/api/address-lookup") seen.push(new URL(request.url()).searchParams.get("postalCode")!);
  });
  return seen;
}

test("checkout: a postal code fills the prefecture and the city with its town; the user's own city stays", async ({ page, server }) => {
  await checkoutWithAddress(page, server);
  await page.getByLabel("郵便番号").fill("１００－０００１");
  await expect(page.getByLabel("都道府県")).toHaveValue("東京都");
  await expect(page.getByLabel("市区町村")).toHaveValue("千代田区千代田");
  await expect(page.getByRole("status").filter({ hasText: "郵便番号から住所を入力しました: 東京都千代田区千代田" })).toBeVisible();
  await expectAccessible(page);

  // Another code replaces what the lookup filled…
  await page.getByLabel("郵便番号").fill("〒060-0000");
  await expect(page.getByLabel("都道府県")).toHaveValue("北海道");
  await expect(page.getByLabel("市区町村")).toHaveValue("札幌市中央区");
  // …but never what the customer typed.
  await page.getByLabel("市区町村").fill("札幌市北区");
  await page.getByLabel("郵便番号").fill("100-0001");
  await expect(page.getByLabel("都道府県")).toHaveValue("東京都");
  await expect(page.getByTestId("postal-code-status")).toHaveText("郵便番号から住所を入力しました: 東京都千代田区千代田");
  await expect(page.getByLabel("市区町村")).toHaveValue("札幌市北区");
  await page.getByLabel("都道府県").selectOption("大阪府");
  await page.getByLabel("郵便番号").fill("060-0000");
  await expect(page.getByTestId("postal-code-status")).toHaveText("この郵便番号の住所は 北海道札幌市中央区 です。入力済みの欄はそのままにしました。");
  await expect(page.getByLabel("都道府県")).toHaveValue("大阪府");
  await expect(page.getByLabel("市区町村")).toHaveValue("札幌市北区");
});

test("checkout: an unknown code says so and fills nothing; an incomplete one asks nothing", async ({ page, server }) => {
  await checkoutWithAddress(page, server);
  const asked = lookups(page);
  await page.getByLabel("郵便番号").fill("100-000");
  await page.getByLabel("郵便番号").fill("999-9999");
  await expect(page.getByTestId("postal-code-status")).toHaveText("この郵便番号の住所は見つかりませんでした。住所を直接入力してください。");
  await expect(page.getByLabel("都道府県")).toHaveValue("");
  await expect(page.getByLabel("市区町村")).toHaveValue("");
  expect(asked).toEqual(["9999999"]);
  await expectAccessible(page);
});

test("checkout: a code with several addresses offers them in a list, by keyboard", async ({ page, server }) => {
  await checkoutWithAddress(page, server);
  // Two prefectures: nothing is filled until one is chosen.
  await page.getByLabel("郵便番号").fill("498-0000");
  await expect(page.getByTestId("postal-code-status")).toHaveText("この郵便番号の住所は2件あります。下の一覧からお選びください。");
  const list = page.getByLabel("住所の候補");
  await expect(list.locator("option")).toHaveText(["選択してください", "愛知県弥富市", "三重県桑名郡木曽岬町"]);
  await expect(page.getByLabel("都道府県")).toHaveValue("");
  await expectAccessible(page);
  await page.getByLabel("郵便番号").press("Tab");
  await expect(list).toBeFocused();
  await list.selectOption("三重県桑名郡木曽岬町");
  await expect(page.getByLabel("都道府県")).toHaveValue("三重県");
  await expect(page.getByLabel("市区町村")).toHaveValue("桑名郡木曽岬町");
  await expect(page.getByTestId("postal-code-status")).toHaveText("郵便番号から住所を入力しました: 三重県桑名郡木曽岬町");

  // One city, many towns: the prefecture and city at once, the town once chosen.
  await page.getByLabel("郵便番号").fill("452-0961");
  await expect(page.getByLabel("都道府県")).toHaveValue("愛知県");
  await expect(page.getByLabel("市区町村")).toHaveValue("清須市");
  await list.selectOption("愛知県清須市春日明河原");
  await expect(page.getByLabel("市区町村")).toHaveValue("清須市春日明河原");
});

test("checkout: nothing is looked up while the IME composes; the confirmed code is", async ({ page, server }) => {
  await checkoutWithAddress(page, server);
  const asked = lookups(page);
  await page.getByLabel("郵便番号").focus();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Input.imeSetComposition", { text: "１００００", selectionStart: 5, selectionEnd: 5 });
  await cdp.send("Input.imeSetComposition", { text: "１０００００１", selectionStart: 7, selectionEnd: 7 });
  await expect(page.getByLabel("郵便番号")).toHaveValue("１０００００１");
  // Give a lookup the time it would take to show, had one been asked for.
  await page.waitForTimeout(500);
  expect(asked).toEqual([]);
  await expect(page.getByTestId("postal-code-status")).toHaveText("");
  await cdp.send("Input.insertText", { text: "１０００００１" });
  await expect(page.getByLabel("市区町村")).toHaveValue("千代田区千代田");
  expect(asked).toEqual(["1000001"]);
});

test("mypage profile: the address is filled from the postal code unless the customer wrote it", async ({ page, server }) => {
  const ctx = await server.as("owner");
  const email = `postal-${randomUUID().slice(0, 8)}@mypage.e2e.test`;
  const customer = await createCustomer(ctx, { email, name: "住所 太郎" });
  await ctx.db.update(customers).set({ passwordHash: await hashPassword("postal-password-1") }).where(eq(customers.id, customer.id));
  await page.goto(`/mypage/${server.merchantId}/sign-in`);
  const signIn = page.getByTestId("password-sign-in");
  await signIn.getByLabel("メールアドレス").fill(email);
  await signIn.getByLabel("パスワード").fill("postal-password-1");
  await signIn.getByRole("button", { name: "ログイン", exact: true }).click();
  await expect(page.getByRole("heading", { name: "ご契約一覧", level: 1 })).toBeVisible();
  await page.goto(`/mypage/${server.merchantId}/profile`);
  const form = page.getByTestId("profile");
  await form.getByLabel("市区町村・町名").fill("港区芝公園");
  await form.getByLabel("郵便番号").fill("100-0001");
  await expect(form.getByTestId("postal-code-status")).toContainText("東京都千代田区千代田");
  // The city the customer typed stays; the empty prefecture is filled.
  await expect(form.getByLabel("市区町村・町名")).toHaveValue("港区芝公園");
  await expect(form.getByLabel("都道府県")).toHaveValue("東京都");

  await form.getByLabel("市区町村・町名").fill("");
  await form.getByLabel("郵便番号").fill("060-0000");
  await expect(form.getByLabel("市区町村・町名")).toHaveValue("札幌市中央区");
  await expect(form.getByLabel("都道府県")).toHaveValue("北海道");
  await expectAccessible(page);

  // Begun but not finished: the missing part is named, nothing is saved.
  await form.getByRole("button", { name: "保存する" }).click();
  await expect(page.getByTestId("profile-result")).toHaveText("「番地」の入力内容をご確認ください。");
  expect((await ctx.db.select({ address: customers.address }).from(customers).where(eq(customers.id, customer.id)))[0]!.address).toBeNull();

  await form.getByLabel("番地").fill("北1条西2丁目");
  await form.getByRole("button", { name: "保存する" }).click();
  await expect(page.getByTestId("profile-result")).toHaveText("お客様情報を保存しました。");
  const [row] = await ctx.db.select({ address: customers.address }).from(customers).where(eq(customers.id, customer.id));
  expect(row!.address).toEqual({ postalCode: "060-0000", prefecture: "北海道", city: "札幌市中央区", line1: "北1条西2丁目" });
});
