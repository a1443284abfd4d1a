/**
 * The contracts list's bulk actions in the browser: rows picked by id → a bulk retry on a date → the job reaches 100 %
 * and each contract has its retry at that time; "all N matching" → a bulk cancel now; a past time refused; a viewer's
 * buttons disabled with the reason. Each test makes a product of its own, so the list filtered by it shows only its rows.
 */
import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { scheduledActions, subscriptions } from "@/db/schema";
import { addPaymentMethod } from "@/lib/services/add-payment-method";
import type { ServiceContext } from "@/lib/services/context";
import { createCustomer } from "@/lib/services/create-customer";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { createSubscription } from "@/lib/services/create-subscription";
import { ServiceError } from "@/lib/services/errors";
import { expect, expectAccessible, test } from "./support/fixtures";

/** The list filtered to one product: exactly the contracts a test made. */
async function openList(page: import("@playwright/test").Page, productId: string, count: number) {
  await page.goto(`/console/subscriptions?product=${productId}`);
  await expect(page.getByTestId("subscription-row")).toHaveCount(count);
}

async function contractOf(ctx: ServiceContext, planId: string, name: string, declines: boolean) {
  const controls = ctx.gateways.byName("sandbox")!.testControls!;
  const customer = await createCustomer(ctx, { email: `${randomUUID()}@jobs.e2e.test`, name });
  const token = await controls.createToken({ number: "4242424242424242", expMonth: 12, expYear: 2035, cvc: "123" }, ctx.clock.now());
  const card = await addPaymentMethod(ctx, { customerId: customer.id, token: token.id });
  if (declines) await controls.setCardBehavior(card.gatewayRef, "insufficient_funds");
  try {
    return (await createSubscription(ctx, { customerId: customer.id, planId })).id;
  } catch (error) {
    if (error instanceof ServiceError && error.details.subscriptionId) return error.details.subscriptionId;
    throw error;
  }
}

test("bulk retry at a date through the dialog", async ({ page, server }) => {
  const owner = await server.as("owner");
  const product = await createProduct(owner, { name: `check ${randomUUID().slice(0, 6)}` });
  const plan = await createPlan(owner, { amount: 1000, interval: "month", productId: product.id });
  const ctx = await server.as("operator");
  const ids = [await contractOf(ctx, plan.id, "一括 甲", true), await contractOf(ctx, plan.id, "一括 乙", true), await contractOf(ctx, plan.id, "一括 丙", false)];
  await openList(page, product.id, 3);
  for (const name of ["一括 甲", "一括 乙", "一括 丙"]) await page.getByRole("checkbox", { name: `${name}の契約を選択` }).click();
  await expect(page.getByTestId("selection-count")).toHaveText("3件を選択中");
  await page.getByRole("button", { name: "一括再決済" }).click();
  const dialog = page.getByRole("dialog", { name: "一括再決済" });
  await expect(dialog).toContainText("3 件を選択中");
  await dialog.getByLabel("日時を指定して再決済").check();
  const day = new Date(Date.now() + 10 * 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 10);
  await dialog.getByLabel(/再決済の日時/).fill(`${day}T09:30`);
  await expectAccessible(page);
  await dialog.getByRole("button", { name: "内容を確認" }).click();
  const confirm = page.getByRole("dialog", { name: "一括再決済の確認" });
  await expect(confirm).toContainText("対象の契約: 3 件");
  await expect(confirm).toContainText("処理する契約: 2 件");
  await expect(confirm).toContainText("未払いの請求がないため再決済しません（有効）: 1 件");
  await expect(confirm).toContainText("一括 甲");
  await expect(confirm).toContainText(`${day} 09:30 に再決済を予約します。`);
  await expectAccessible(page);
  await confirm.getByRole("button", { name: "3 件で開始" }).click();
  await expect(page.getByText("一括再決済を開始しました（3 件）")).toBeVisible();
  await page.getByRole("link", { name: "進み具合を見る" }).click();
  await expect(page.getByRole("progressbar", { name: "処理の進み具合" })).toHaveAttribute("aria-valuenow", "100", { timeout: 20_000 });
  await expect(page.getByTestId("job-counts")).toHaveText("完了 2 ・ スキップ 1 ・ 失敗 0");
  const retries = await server.database.db
    .select()
    .from(scheduledActions)
    .where(and(inArray(scheduledActions.subscriptionId, ids), eq(scheduledActions.kind, "retry"), sql`${scheduledActions.payload}->>'manual' = 'true'`));
  const at = new Date(`${day}T09:30:00+09:00`).toISOString();
  expect(retries.map((r) => r.dueAt.toISOString()).sort()).toEqual([at, at]);
});

test("bulk cancel now through the dialog, and a past time refused", async ({ page, server }) => {
  const owner = await server.as("owner");
  const product = await createProduct(owner, { name: `check ${randomUUID().slice(0, 6)}` });
  const plan = await createPlan(owner, { amount: 1000, interval: "month", productId: product.id });
  const ctx = await server.as("operator");
  const ids = [await contractOf(ctx, plan.id, "解約 甲", false), await contractOf(ctx, plan.id, "解約 乙", false)];
  await openList(page, product.id, 2);
  // One row picked, then the whole search: the job takes every contract matching it when it starts.
  await page.getByRole("checkbox", { name: "解約 甲の契約を選択" }).click();
  await page.getByRole("button", { name: /一致する2件をすべて選択/ }).click();
  await expect(page.getByTestId("selection-count")).toHaveText("この検索条件に一致する2件をすべて選択中");
  await page.getByRole("button", { name: "一括再決済" }).click();
  let dialog = page.getByRole("dialog", { name: "一括再決済" });
  await dialog.getByLabel("日時を指定して再決済").check();
  await dialog.getByLabel(/再決済の日時/).fill("2020-01-15T09:30");
  await dialog.getByRole("button", { name: "内容を確認" }).click();
  // The browser refuses a time before now (min); the server would too.
  expect(await dialog.getByLabel(/再決済の日時/).evaluate((input: HTMLInputElement) => input.validity.rangeUnderflow)).toBe(true);
  await expect(page.getByRole("dialog", { name: "一括再決済の確認" })).toHaveCount(0);
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "一括解約" }).click();
  dialog = page.getByRole("dialog", { name: "一括解約" });
  await dialog.getByRole("radio", { name: "今すぐ解約", exact: true }).check();
  await dialog.getByLabel("解約理由（任意）").fill("テスト");
  await dialog.getByRole("button", { name: "内容を確認" }).click();
  const confirm = page.getByRole("dialog", { name: "一括解約の確認" });
  await expect(confirm).toContainText("スキップされる契約はありません。");
  await confirm.getByRole("button", { name: "2 件で開始" }).click();
  await page.getByRole("link", { name: "進み具合を見る" }).click();
  await expect(page.getByRole("progressbar", { name: "処理の進み具合" })).toHaveAttribute("aria-valuenow", "100", { timeout: 20_000 });
  const rows = await server.database.db.select().from(subscriptions).where(inArray(subscriptions.id, ids));
  expect(rows.map((r) => [r.status, r.cancelReason])).toEqual([["canceled", "テスト"], ["canceled", "テスト"]]);
});

test.describe("viewer", () => {
  test.use({ signedInAs: "viewer" });
  test("buttons disabled with the reason", async ({ page, server }) => {
    const owner = await server.as("owner");
    const product = await createProduct(owner, { name: `view ${randomUUID().slice(0, 6)}` });
    const plan = await createPlan(owner, { amount: 1000, interval: "month", productId: product.id });
    await contractOf(owner, plan.id, "閲覧 甲", false);
    await openList(page, product.id, 1);
    await page.getByRole("checkbox", { name: "閲覧 甲の契約を選択" }).click();
    await expect(page.getByRole("button", { name: "一括再決済" })).toBeDisabled();
    await expect(page.getByLabel("閲覧のみの権限では一括処理を実行できません").first()).toBeVisible();
    await expectAccessible(page);
  });
});
