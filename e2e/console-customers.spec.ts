import { randomUUID } from "node:crypto";
import type { CDPSession, Page } from "@playwright/test";
import type { SandboxTestControls } from "@/lib/gateways/sandbox";
import { addPaymentMethod } from "@/lib/services/add-payment-method";
import { fixedClock, type ServiceContext } from "@/lib/services/context";
import { operatorContext } from "@/lib/services/contexts";
import { createCustomer } from "@/lib/services/create-customer";
import { createMerchant } from "@/lib/services/create-merchant";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { createSubscription } from "@/lib/services/create-subscription";
import { ServiceError } from "@/lib/services/errors";
import { expect, expectAccessible, test } from "./support/fixtures";

/** Four kanji nobody else's customer has: each test searches its own people among the demo's. */
function kanjiToken(): string {
  const pool = "春夏秋冬梅桜松竹菊蘭雪月花鳥風琴鶴亀森湖";
  return Array.from({ length: 5 }, () => pool[Math.floor(Math.random() * pool.length)]).join("");
}

const searchBox = (page: Page) => page.getByRole("searchbox", { name: "顧客を検索" });
const rows = (page: Page) => page.getByTestId("customer-row");

/** Chromium's IME as the test drives it: a composition shown in the box, then the converted text committed. */
async function imeType(cdp: CDPSession, reading: string, converted: string, beforeCommit?: () => Promise<void>) {
  for (let i = 1; i <= reading.length; i++) {
    await cdp.send("Input.imeSetComposition", { text: reading.slice(0, i), selectionStart: i, selectionEnd: i });
  }
  await cdp.send("Input.imeSetComposition", { text: converted, selectionStart: converted.length, selectionEnd: converted.length });
  await beforeCommit?.();
  await cdp.send("Input.insertText", { text: converted });
}

test.describe("customers", () => {
  test("searches by name and email; Japanese through an IME is searched only once converted, and its Enter does not submit", async ({ page, server }) => {
    const ctx = await server.as("owner");
    const token = kanjiToken();
    const tag = randomUUID().slice(0, 8);
    await createCustomer(ctx, { name: `${token} 花子`, email: `ime-hanako-${tag}@example.jp` });
    await createCustomer(ctx, { name: `${token}一郎`, email: `ime-ichiro-${tag}@example.jp` });

    await page.goto("/console/customers");
    await expect(page.getByRole("heading", { name: "顧客", level: 1 })).toBeVisible();
    // The demo's customers are listed, newest first, 25 to a page.
    await expect(rows(page)).toHaveCount(25);
    await expectAccessible(page);

    const box = searchBox(page);
    await box.focus();
    const cdp = await page.context().newCDPSession(page);
    const searched: string[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname === "/console/customers" && url.searchParams.has("q")) searched.push(url.searchParams.get("q")!);
    });
    await imeType(cdp, "しけん", token, async () => {
      // Still composing: the reading shows in the box, nothing is searched however long the person waits …
      await expect(box).toHaveValue(token);
      await page.waitForTimeout(700);
      // … and the Enter that confirms the conversion is the IME's, not the form's.
      // (An Enter with its "\r": were its keydown not held back, the form's implicit submission would follow.)
      await cdp.send("Input.dispatchKeyEvent", { type: "keyDown", key: "Enter", code: "Enter", windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229, text: "\r", unmodifiedText: "\r" });
      await cdp.send("Input.dispatchKeyEvent", { type: "keyUp", key: "Enter", code: "Enter", windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229 });
      await page.waitForTimeout(700);
      expect(searched).toEqual([]);
      await expect(page).not.toHaveURL(/[?&]q=/);
    });
    // Committed: searched once, with the converted text only.
    await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(token)}`));
    await expect(rows(page)).toHaveCount(2);
    await expect(page.getByTestId("customers-summary")).toHaveText("2 件中 1〜2 件");
    expect(searched.every((q) => q === token)).toBe(true);

    // Part of a name, as two words in another order (the space in the name does not matter).
    await box.fill("");
    await imeType(cdp, "いちろう", `一郎 ${token.slice(1, 4)}`);
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText(`${token}一郎`);

    // An email, typed plainly and submitted with Enter at once.
    await box.fill(`hanako-${tag}`);
    await box.press("Enter");
    await expect(page).toHaveURL(new RegExp(`q=hanako-${tag}`));
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText(`ime-hanako-${tag}@example.jp`);

    // Nothing found: said so, with a way back.
    await box.fill(`存在しない${token}`);
    await box.press("Enter");
    await expect(page.getByTestId("customers-empty")).toContainText(`「存在しない${token}」に一致する顧客はいません。`);
    await expectAccessible(page);
    await page.getByRole("link", { name: "検索条件をクリア" }).click();
    await expect(page).toHaveURL(/\/console\/customers$/);
    await expect(box).toHaveValue("");
    await expect(rows(page)).toHaveCount(25);
  });

  test("pages through the results, changes the page size and the order, and keeps all of it in the URL", async ({ page, server }) => {
    const ctx = await server.as("owner");
    const token = kanjiToken();
    const start = Date.now() - 60 * 60_000;
    // Registered a minute apart, numbered in the opposite order: newest first and by name differ.
    for (let i = 0; i < 27; i++) {
      await createCustomer({ ...ctx, clock: fixedClock(new Date(start + i * 60_000)) }, { name: `${token} ${String(26 - i).padStart(2, "0")}`, email: `page-${i}-${randomUUID().slice(0, 6)}@example.jp` });
    }
    await page.goto(`/console/customers?q=${encodeURIComponent(token)}`);
    await expect(page.getByTestId("customers-summary")).toHaveText("27 件中 1〜25 件");
    await expect(rows(page)).toHaveCount(25);
    await expect(rows(page).first()).toContainText(`${token} 00`);
    await expect(page.getByText("1 / 2 ページ")).toBeVisible();

    await page.getByRole("link", { name: "次へ" }).click();
    await expect(page).toHaveURL(/[?&]page=2/);
    await expect(page.getByTestId("customers-summary")).toHaveText("27 件中 26〜27 件");
    await expect(rows(page)).toHaveCount(2);
    await expect(rows(page).last()).toContainText(`${token} 26`);
    await expectAccessible(page);

    // A new page size starts again from the first page.
    await page.getByLabel("表示件数").selectOption("50");
    await expect(page).toHaveURL(/[?&]perPage=50/);
    await expect(page).not.toHaveURL(/[?&]page=/);
    await expect(rows(page)).toHaveCount(27);

    await page.getByLabel("並び順").selectOption("name");
    await expect(page).toHaveURL(/[?&]sort=name/);
    await expect(rows(page).first()).toContainText(`${token} 00`);
    await expect(rows(page).nth(1)).toContainText(`${token} 01`);
    await page.getByLabel("並び順").selectOption("newest");
    await expect(rows(page).first()).toContainText(`${token} 00`);
    await expect(rows(page).last()).toContainText(`${token} 26`);

    // The URL is the state: reloading it, or going back, shows the same page.
    await page.goto(`/console/customers?q=${encodeURIComponent(token)}&perPage=25&page=2&sort=name`);
    await expect(searchBox(page)).toHaveValue(token);
    await expect(page.getByLabel("並び順")).toHaveValue("name");
    await expect(rows(page)).toHaveCount(2);
    await expect(rows(page).first()).toContainText(`${token} 25`);
    // A page past the end says so and links to the last one.
    await page.goto(`/console/customers?q=${encodeURIComponent(token)}&page=9`);
    await page.getByRole("link", { name: "最後のページへ" }).click();
    await expect(rows(page)).toHaveCount(2);
  });

  test("a customer's page shows the profile, contracts, cards, invoices and mails, and is reached by keyboard", async ({ page, server }) => {
    const ctx = await server.as("owner");
    const controls = server.platform.gateways.primary.testControls as SandboxTestControls;
    const token = kanjiToken();
    const customer = await createCustomer(ctx, {
      name: `${token} 美咲`,
      email: `detail-${randomUUID().slice(0, 8)}@example.jp`,
      phone: "090-1234-5678",
      address: { postalCode: "150-0001", prefecture: "東京都", city: "渋谷区", line1: "神宮前1-2-3", line2: "ハイツ101" },
    });
    const product = await createProduct(ctx, { name: `ヨガ教室 ${token}` });
    const plan = await createPlan(ctx, { productId: product.id, name: "月会費", amount: 8800, interval: "month" });
    // A card saved a year ago that expired last month, then the card the contracts use.
    const now = new Date();
    const yearAgo = new Date(now.getTime() - 365 * 86_400_000);
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const old: ServiceContext = { ...ctx, clock: fixedClock(yearAgo) };
    const oldToken = await controls.createToken({ number: "3530111333300000", expMonth: lastMonth.getUTCMonth() + 1, expYear: lastMonth.getUTCFullYear(), cvc: "123" }, yearAgo);
    await addPaymentMethod(old, { customerId: customer.id, token: oldToken.id });
    const goodToken = await controls.createToken({ number: "4242424242424242", expMonth: 12, expYear: now.getUTCFullYear() + 3, cvc: "123" }, now);
    const good = await addPaymentMethod(ctx, { customerId: customer.id, token: goodToken.id });
    const active = await createSubscription(ctx, { customerId: customer.id, planId: plan.id, paymentMethodId: good.id });
    const declineToken = await controls.createToken({ number: "4000000000000341", expMonth: 12, expYear: now.getUTCFullYear() + 3, cvc: "123" }, now);
    const declining = await addPaymentMethod(ctx, { customerId: customer.id, token: declineToken.id, makeDefault: false });
    const incompleteId = await createSubscription(ctx, { customerId: customer.id, planId: plan.id, paymentMethodId: declining.id }).then(
      () => null,
      (error: unknown) => (error instanceof ServiceError ? (error.details.subscriptionId as string) : null),
    );
    expect(incompleteId).toBeTruthy();

    await page.goto(`/console/customers?q=${encodeURIComponent(token)}`);
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText("090-1234-5678");
    await expect(rows(page).first().getByText("有効")).toBeVisible();
    await expect(rows(page).first().getByText("未完了")).toBeVisible();
    // Keyboard: from the search box, Tab reaches the customer's link; Enter opens it.
    await searchBox(page).focus();
    const link = page.getByRole("link", { name: `${token} 美咲` });
    for (let i = 0; i < 8 && !(await link.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
    await expect(link).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/console/customers/${customer.id}$`));

    await expect(page.getByRole("heading", { name: `${token} 美咲`, level: 1 })).toBeVisible();
    const profile = page.getByTestId("section-profile");
    await expect(profile).toContainText("〒150-0001");
    await expect(profile).toContainText("東京都渋谷区神宮前1-2-3");
    await expect(profile).toContainText("ハイツ101");
    await expect(profile).toContainText("日本語");

    const contracts = page.getByTestId("section-contracts").getByTestId("contract-row");
    await expect(contracts).toHaveCount(2);
    await expect(page.getByTestId("section-contracts").getByRole("link", { name: `契約 ${active.id} を開く` })).toHaveAttribute("href", `/console/subscriptions/${active.id}`);
    await expect(contracts.filter({ hasText: active.id })).toContainText("有効");
    await expect(contracts.filter({ hasText: incompleteId! })).toContainText("未完了");
    await expect(contracts.filter({ hasText: active.id })).toContainText(`ヨガ教室 ${token}`);

    const cards = page.getByTestId("section-cards").getByTestId("card-row");
    await expect(cards).toHaveCount(3);
    await expect(cards.filter({ hasText: "JCB ···· 0000" })).toContainText("期限切れ");
    await expect(cards.filter({ hasText: "Visa ···· 4242" })).toContainText("既定のカード");
    await expect(cards.filter({ hasText: "Visa ···· 4242" })).toContainText(active.id);
    await expect(cards.filter({ hasText: "Visa ···· 0341" })).toContainText(incompleteId!);

    const invoices = page.getByTestId("section-invoices").getByTestId("invoice-row");
    await expect(invoices).toHaveCount(2);
    await expect(invoices.filter({ hasText: "支払済み" })).toContainText("¥8,800");
    await expect(invoices.filter({ hasText: "未払い" })).toContainText("初回");

    const mails = page.getByTestId("section-mails").getByTestId("mail-row");
    await expect(mails.filter({ hasText: "決済完了（領収）" })).toHaveCount(1);
    await expect(mails.filter({ hasText: "決済失敗" })).toHaveCount(1);
    await expect(mails.filter({ hasText: "お申し込みの確認" })).toHaveCount(2);
    await expectAccessible(page);

    await page.getByRole("link", { name: "顧客一覧へ戻る" }).click();
    await expect(page).toHaveURL(/\/console\/customers$/);
  });

  test("another merchant's customer is not found, and an unknown id neither", async ({ page, server }) => {
    const tag = randomUUID().slice(0, 8);
    const other = await createMerchant(
      { db: server.database.db, actor: { type: "system", id: "e2e" }, clock: server.platform.clock },
      { name: `他店 ${tag}`, email: `other-${tag}@merchant.test`, password: "other-password", ownerName: "他店 店長" },
    );
    const stranger = await createCustomer(operatorContext(server.platform, other.merchantId, "e2e"), { name: "他店 顧客", email: `stranger-${tag}@example.jp` });
    for (const id of [stranger.id, `cus_${tag}`]) {
      const response = await page.goto(`/console/customers/${id}`);
      expect(response?.status()).toBe(404);
      await expect(page.getByRole("heading", { name: "見つかりません" })).toBeVisible();
      await expect(page.getByText("他店 顧客")).toHaveCount(0);
    }
    await expectAccessible(page);
    // Nor does searching for them find anything.
    await page.goto(`/console/customers?q=${stranger.id}`);
    await expect(page.getByTestId("customers-empty")).toBeVisible();
  });
});

test.describe("customers for a viewer", () => {
  test.use({ signedInAs: "viewer" });

  test("a viewer reads the list and a customer's page", async ({ page, server }) => {
    const ctx = await server.as("owner");
    const token = kanjiToken();
    const customer = await createCustomer(ctx, { name: `${token} 閲覧`, email: `viewer-${randomUUID().slice(0, 8)}@example.jp`, locale: "en" });
    await page.goto(`/console/customers?q=${encodeURIComponent(token)}`);
    await page.getByRole("link", { name: `${token} 閲覧` }).click();
    await expect(page).toHaveURL(new RegExp(`/console/customers/${customer.id}$`));
    await expect(page.getByTestId("section-profile")).toContainText("英語");
    await expect(page.getByTestId("section-contracts")).toContainText("この顧客にはまだ契約がありません。");
    await expect(page.getByTestId("section-cards")).toContainText("登録されたカードはありません。");
    await expectAccessible(page);
  });
});
