import { eq } from "drizzle-orm";
import type { Page } from "@playwright/test";
import { customers, subscriptions } from "@/db/schema";
import { SANDBOX_TEST_CARDS } from "@/lib/gateways/sandbox";
import { createCheckoutLink } from "@/lib/services/create-checkout-link";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { expect, expectAccessible, test } from "./support/fixtures";
import { inbox } from "./support/inbox";

// The customer is signed out: checkout needs no session. Mails reach the Resend stand-in through the official SDK.
test.use({ signedInAs: null });

async function newLink(server: Parameters<Parameters<typeof test>[2]>[0]["server"], collect = { phone: false, address: false }) {
  const ctx = await server.as("owner");
  const product = await createProduct(ctx, { name: `オンラインヨガ ${crypto.randomUUID().slice(0, 6)}` });
  const plan = await createPlan(ctx, { productId: product.id, amount: 3300, interval: "month", joiningFee: 1100 });
  return createCheckoutLink(ctx, { planId: plan.id, collect });
}

async function fillDetails(page: Page, email: string) {
  await page.getByLabel("お名前").fill("山田 花子");
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("マイページのパスワード（任意）").fill("yoga-password-1");
}

async function enterCard(page: Page, number: string) {
  const frame = page.frameLocator('iframe[title="カード情報の入力（決済代行会社の画面）"]');
  await frame.getByLabel("カード番号").fill(number);
  await frame.getByLabel("有効期限（月）").fill("12");
  await frame.getByLabel("有効期限（年）").fill("35");
  await frame.getByLabel("セキュリティコード").fill("123");
  await frame.getByRole("button", { name: "カードを確認" }).click();
  await expect(page.getByTestId("card-status")).toHaveText(`末尾 ${number.slice(-4)} のカードで申し込みます`);
}

async function contractsOf(server: Parameters<Parameters<typeof test>[2]>[0]["server"], email: string) {
  return server.database.db.select({ id: subscriptions.id, status: subscriptions.status }).from(subscriptions).innerJoin(customers, eq(customers.id, subscriptions.customerId)).where(eq(customers.email, email));
}

test("4242: the final confirmation, a contract, and the welcome mail", async ({ page, server }) => {
  const link = await newLink(server, { phone: true, address: true });
  const email = `hanako-${crypto.randomUUID().slice(0, 8)}@example.jp`;
  await page.goto(`/checkout/${link.id}`);
  await expect(page.getByRole("heading", { name: "お申し込み内容の確認" })).toBeVisible();
  await expect(page.getByTestId("first-charge")).toContainText("¥4,400");
  await expect(page.getByTestId("later-charges")).toContainText("¥3,300");
  await expectAccessible(page);
  await fillDetails(page, email);
  await page.getByLabel("電話番号").fill("090-1234-5678");
  await page.getByLabel("郵便番号").fill("１５０－０００１");
  await page.getByLabel("都道府県").selectOption("東京都");
  await page.getByLabel("市区町村").fill("渋谷区");
  await page.getByLabel("番地").fill("神宮前1-2-3");
  await enterCard(page, SANDBOX_TEST_CARDS.succeed);
  await page.getByRole("button", { name: "同意して申し込む" }).click();
  // Without consent nothing happens but a message beside the checkbox; everything typed stays.
  await expect(page.getByText("ご契約内容への同意が必要です。")).toBeVisible();
  await expect(page.getByLabel("お名前")).toHaveValue("山田 花子");
  await page.getByLabel("上記のご契約内容・お支払い条件・解約条件に同意します").check();
  await page.getByRole("button", { name: "同意して申し込む" }).click();
  await expect(page.getByRole("heading", { name: "お申し込みが完了しました" })).toBeVisible();
  expect(await contractsOf(server, email)).toEqual([{ id: expect.stringMatching(/^sub_/), status: "active" }]);
  await expect.poll(async () => (await inbox(email)).length, { timeout: 20_000 }).toBeGreaterThan(0);
});

test("4000000000000002 is refused with a message; another card then succeeds without re-typing", async ({ page, server }) => {
  const link = await newLink(server);
  const email = `decline-${crypto.randomUUID().slice(0, 8)}@example.jp`;
  await page.goto(`/checkout/${link.id}`);
  await fillDetails(page, email);
  await page.getByLabel("上記のご契約内容・お支払い条件・解約条件に同意します").check();
  await enterCard(page, SANDBOX_TEST_CARDS.declineOnAttach);
  await page.getByRole("button", { name: "同意して申し込む" }).click();
  await expect(page.getByText("このカードはご利用いただけませんでした。別のカードをお試しください。")).toBeVisible();
  expect(await contractsOf(server, email)).toEqual([]);
  await expect(page.getByLabel("メールアドレス")).toHaveValue(email);
  await enterCard(page, SANDBOX_TEST_CARDS.succeed);
  await page.getByRole("button", { name: "同意して申し込む" }).click();
  await expect(page.getByRole("heading", { name: "お申し込みが完了しました" })).toBeVisible();
  expect(await contractsOf(server, email)).toHaveLength(1);
});

test("a card saved but declined at the first charge: another card pays that same contract", async ({ page, server }) => {
  const link = await newLink(server);
  const email = `first-charge-${crypto.randomUUID().slice(0, 8)}@example.jp`;
  await page.goto(`/checkout/${link.id}`);
  await fillDetails(page, email);
  await page.getByLabel("上記のご契約内容・お支払い条件・解約条件に同意します").check();
  await enterCard(page, SANDBOX_TEST_CARDS.decline);
  await page.getByRole("button", { name: "同意して申し込む" }).click();
  await expect(page.getByText("このカードはご利用いただけませんでした。別のカードをお試しください。")).toBeVisible();
  const [declined] = await contractsOf(server, email);
  expect(declined).toMatchObject({ status: "incomplete" });
  await enterCard(page, SANDBOX_TEST_CARDS.succeed);
  await page.getByRole("button", { name: "同意して申し込む" }).click();
  await expect(page.getByRole("heading", { name: "お申し込みが完了しました" })).toBeVisible();
  expect(await contractsOf(server, email)).toEqual([{ id: declined!.id, status: "active" }]);
  expect(await server.database.db.select().from(customers).where(eq(customers.email, email))).toHaveLength(1);
});

for (const [answer, outcome] of [
  ["認証する", "approved"],
  ["認証に失敗させる", "failed"],
] as const) {
  test(`3-D Secure ${outcome}`, async ({ page, server }) => {
    const link = await newLink(server);
    const email = `3ds-${outcome}-${crypto.randomUUID().slice(0, 8)}@example.jp`;
    await page.goto(`/checkout/${link.id}`);
    await fillDetails(page, email);
    await page.getByLabel("上記のご契約内容・お支払い条件・解約条件に同意します").check();
    await enterCard(page, SANDBOX_TEST_CARDS.authenticationRequired);
    await page.getByRole("button", { name: "同意して申し込む" }).click();
    await page.frameLocator('iframe[title="カード発行会社の本人認証画面"]').getByRole("button", { name: answer }).click();
    if (outcome === "approved") {
      await expect(page.getByRole("heading", { name: "お申し込みが完了しました" })).toBeVisible();
      expect(await contractsOf(server, email)).toHaveLength(1);
    } else {
      await expect(page.getByText("カードの本人認証（3-Dセキュア）が完了しませんでした。", { exact: false })).toBeVisible();
      expect(await contractsOf(server, email)).toEqual([]);
      await enterCard(page, SANDBOX_TEST_CARDS.succeed);
      await page.getByRole("button", { name: "同意して申し込む" }).click();
      await expect(page.getByRole("heading", { name: "お申し込みが完了しました" })).toBeVisible();
    }
  });
}

test("the visitor switches the checkout to English; the gateway's card frame follows", async ({ page, server }) => {
  const link = await newLink(server);
  await page.goto(`/checkout/${link.id}`);
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("button", { name: "Agree and subscribe" })).toBeVisible();
  const frame = page.frameLocator('iframe[title="Card details (the payment provider\'s form)"]');
  await expect(frame.getByLabel("Card number")).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "日本語" }).click();
  await expect(page.getByRole("button", { name: "同意して申し込む" })).toBeVisible();
});

test("double submit makes one contract", async ({ page, server }) => {
  const link = await newLink(server);
  const email = `double-${crypto.randomUUID().slice(0, 8)}@example.jp`;
  await page.goto(`/checkout/${link.id}`);
  await fillDetails(page, email);
  await page.getByLabel("上記のご契約内容・お支払い条件・解約条件に同意します").check();
  await enterCard(page, SANDBOX_TEST_CARDS.succeed);
  // Two submissions of the same attempt, sent at once as a double click (before the button disables) would.
  await page.locator("form").evaluate((form: HTMLFormElement) => {
    form.requestSubmit();
    form.requestSubmit();
  });
  await expect(page.getByRole("heading", { name: "お申し込みが完了しました" })).toBeVisible();
  expect(await contractsOf(server, email)).toHaveLength(1);
});
