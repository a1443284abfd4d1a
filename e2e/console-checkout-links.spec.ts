import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { eq } from "drizzle-orm";
import { checkoutLinks, merchants } from "@/db/schema";
import { createCheckoutLink } from "@/lib/services/create-checkout-link";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { updateTokushohoUrl } from "@/lib/services/update-tokushoho-url";
import { type ServerData, expect, expectAccessible, test } from "./support/fixtures";

/**
 * チェックアウトリンク (/console/checkout-links): an operator makes a link for a plan, copies it and opens the hosted
 * page; a success URL that is not http(s) is refused beside its field; an owner sets the 特商法 URL the checkout
 * page links to (put back afterwards: the demo merchant is shared); a viewer reads but cannot create.
 */

/** A product and plan of the test's own (plans are made by owners: catalogue.manage). */
async function seedPlan(server: ServerData) {
  const ctx = await server.as("owner");
  const tag = randomUUID().slice(0, 8);
  const product = await createProduct(ctx, { name: `リンク講座 ${tag}` });
  const plan = await createPlan(ctx, { productId: product.id, name: `月謝 ${tag}`, amount: 5500, interval: "month" });
  return { product, plan, optionLabel: `月謝 ${tag}（¥5,500・毎月）` };
}

const linksOf = (server: ServerData, planId: string) => server.database.db.select().from(checkoutLinks).where(eq(checkoutLinks.planId, planId));

async function openCreateDialog(page: Page) {
  await page.goto("/console/checkout-links");
  await page.getByRole("button", { name: "リンクを作成" }).click();
  return page.getByRole("dialog", { name: "チェックアウトリンクを作成" });
}

test.describe("an operator", () => {
  test.use({ signedInAs: "operator" });

  test("creates a link, copies it, and opens the checkout page showing the plan", async ({ page, context, server, baseURL }) => {
    const seeded = await seedPlan(server);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
    const dialog = await openCreateDialog(page);
    await expectAccessible(page);
    await dialog.getByLabel("プラン", { exact: true }).selectOption({ label: seeded.optionLabel });
    await dialog.getByLabel("申し込み後の移動先 URL（任意）").fill("https://example.jp/thanks");
    await dialog.getByLabel("電話番号を尋ねる").check();
    await dialog.getByRole("button", { name: "作成する" }).click();
    await expect(page.getByText("チェックアウトリンクを作成しました")).toBeVisible();
    await expect(dialog).toBeHidden();

    const [link] = await linksOf(server, seeded.plan.id);
    expect(link).toMatchObject({ successUrl: "https://example.jp/thanks", collect: { phone: true, address: false }, active: true });
    const url = `${baseURL}/checkout/${link!.id}`;
    // The new link is listed at once, with its full URL, what it asks for and where it sends the customer.
    const row = page.getByTestId(`checkout-link-${link!.id}`);
    await expect(row).toContainText(seeded.product.name);
    await expect(row).toContainText("¥5,500 / 毎月");
    await expect(row).toContainText(url);
    await expect(row).toContainText("電話番号");
    await expect(row).toContainText("https://example.jp/thanks");
    await expectAccessible(page);

    await row.getByRole("button", { name: /コピー/ }).click();
    await expect(page.getByText("コピーしました")).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

    const [checkout] = await Promise.all([context.waitForEvent("page"), row.getByRole("link", { name: /開く/ }).click()]);
    await checkout.waitForLoadState();
    expect(checkout.url()).toBe(url);
    await expect(checkout.getByRole("heading", { name: "お申し込み内容の確認" })).toBeVisible();
    await expect(checkout.getByText(seeded.product.name).first()).toBeVisible();
    await expect(checkout.getByLabel("電話番号")).toBeVisible();
  });

  test("turns a link off after a confirmation (its page is then a 404) and on again", async ({ page, context, server }) => {
    const seeded = await seedPlan(server);
    const link = await createCheckoutLink(await server.as("operator"), { planId: seeded.plan.id });
    await page.goto("/console/checkout-links");
    const row = page.getByTestId(`checkout-link-${link.id}`);
    await row.getByRole("button", { name: /無効にする/ }).click();
    const dialog = page.getByRole("dialog", { name: "このリンクを無効にしますか？" });
    await expect(dialog).toContainText("作成済みの契約はそのままです");
    await expectAccessible(page);
    await dialog.getByRole("button", { name: "無効にする" }).click();
    await expect(page.getByText(`${seeded.product.name} / ${seeded.plan.name} のリンクを無効にしました`)).toBeVisible();
    await expect(row).toContainText("無効");
    expect((await linksOf(server, seeded.plan.id))[0]!.active).toBe(false);
    const customer = await context.newPage();
    expect((await customer.goto(`/checkout/${link.id}`))!.status()).toBe(404);

    await row.getByRole("button", { name: /有効にする/ }).click();
    await expect(page.getByText(`${seeded.product.name} / ${seeded.plan.name} のリンクを有効にしました`)).toBeVisible();
    expect((await linksOf(server, seeded.plan.id))[0]!.active).toBe(true);
    expect((await customer.goto(`/checkout/${link.id}`))!.status()).toBe(200);
  });

  test("is refused a success URL that is not http(s), beside the field, and nothing is created", async ({ page, server }) => {
    const seeded = await seedPlan(server);
    const dialog = await openCreateDialog(page);
    // Without a plan the form says so before asking the server.
    await dialog.getByRole("button", { name: "作成する" }).click();
    await expect(dialog.getByRole("alert")).toHaveText("プランを選んでください。");
    await dialog.getByLabel("プラン", { exact: true }).selectOption({ label: seeded.optionLabel });
    const successUrl = dialog.getByLabel("申し込み後の移動先 URL（任意）");
    await successUrl.fill("javascript:alert(1)");
    await dialog.getByRole("button", { name: "作成する" }).click();
    await expect(dialog.getByRole("alert")).toHaveText("http:// または https:// で始まる URL を入力してください。");
    await expect(successUrl).toHaveAttribute("aria-invalid", "true");
    expect(await linksOf(server, seeded.plan.id)).toEqual([]);
    await successUrl.fill("ftp://example.jp/done");
    await dialog.getByRole("button", { name: "作成する" }).click();
    await expect(dialog.getByRole("alert")).toHaveText("http:// または https:// で始まる URL を入力してください。");
    expect(await linksOf(server, seeded.plan.id)).toEqual([]);
    await expectAccessible(page);
    // Emptied, the field means Keizoku's own success page.
    await successUrl.fill("");
    await dialog.getByRole("button", { name: "作成する" }).click();
    await expect(dialog).toBeHidden();
    await expect.poll(async () => (await linksOf(server, seeded.plan.id)).map((l) => l.successUrl)).toEqual([null]);
  });

  test("reads the 特商法 URL but may not change it", async ({ page }) => {
    await page.goto("/console/checkout-links");
    await expect(page.getByLabel("特定商取引法に基づく表記の URL")).toBeDisabled();
    await expect(page.getByRole("button", { name: "保存する" })).toBeDisabled();
    await expect(page.getByLabel("この設定を変更できるのはオーナーと管理者のみです。")).toBeVisible();
  });
});

test.describe("an owner", () => {
  let previous: string | null = null;
  test.beforeEach(async ({ server }) => {
    const [row] = await server.database.db.select({ url: merchants.tokushohoUrl }).from(merchants).where(eq(merchants.id, server.merchantId));
    previous = row!.url;
  });
  test.afterEach(async ({ server }) => {
    await updateTokushohoUrl(await server.as("owner"), { url: previous });
  });

  test("sets the 特商法 URL, and the checkout page links to it", async ({ page, server }) => {
    const seeded = await seedPlan(server);
    const link = await createCheckoutLink(await server.as("owner"), { planId: seeded.plan.id });
    const url = `https://shop-${randomUUID().slice(0, 6)}.example.jp/tokushoho`;
    await page.goto("/console/checkout-links");
    const field = page.getByLabel("特定商取引法に基づく表記の URL");
    await field.fill("shop.example.jp/tokushoho");
    await page.getByRole("button", { name: "保存する" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "http:// または https:// で始まる URL を入力してください。" })).toBeVisible();
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await field.fill(url);
    await page.getByRole("button", { name: "保存する" }).click();
    await expect(page.getByText("特定商取引法に基づく表記の URL を保存しました")).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("特定商取引法に基づく表記の URL")).toHaveValue(url);
    await expectAccessible(page);

    await page.goto(`/checkout/${link.id}`);
    await expect(page.getByRole("link", { name: "特定商取引法に基づく表記" })).toHaveAttribute("href", url);
  });
});

test.describe("a viewer", () => {
  test.use({ signedInAs: "viewer" });

  test("sees the links, with the create button disabled and the reason given", async ({ page, server }) => {
    const seeded = await seedPlan(server);
    const link = await createCheckoutLink(await server.as("operator"), { planId: seeded.plan.id, collect: { phone: false, address: true } });
    await page.goto("/console/checkout-links");
    await expect(page.getByRole("link", { name: "チェックアウトリンク" })).toHaveAttribute("aria-current", "page");
    const row = page.getByTestId(`checkout-link-${link.id}`);
    await expect(row).toContainText(seeded.product.name);
    await expect(row).toContainText("住所");
    await expect(row).toContainText("Keizoku の完了ページ");
    await expect(page.getByRole("button", { name: "リンクを作成" })).toBeDisabled();
    await expect(page.getByLabel("チェックアウトリンクの作成は、オーナー・管理者・オペレーターのみ行えます。")).toBeVisible();
    await expect(row.getByRole("button", { name: "無効にする" })).toBeDisabled();
    await expectAccessible(page);
  });
});
