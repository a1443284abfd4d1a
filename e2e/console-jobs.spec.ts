import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import iconv from "iconv-lite";
import Papa from "papaparse";
import type { Page } from "@playwright/test";
import { addPaymentMethod } from "@/lib/services/add-payment-method";
import type { ServiceContext } from "@/lib/services/context";
import { operatorContext } from "@/lib/services/contexts";
import { createCustomer } from "@/lib/services/create-customer";
import { createMerchant } from "@/lib/services/create-merchant";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { createSubscription } from "@/lib/services/create-subscription";
import { ServiceError } from "@/lib/services/errors";
import { startBulkJob } from "@/lib/services/start-bulk-job";
import { expect, expectAccessible, test } from "./support/fixtures";

/**
 * Bulk jobs in the browser: jobs are started through the services (the contracts list that starts them from the
 * UI is built beside this page), and the server's own embedded runner works them, as it does in `npm start`.
 */

type Seeded = { id: string; name: string; card: string };

/** A contract of a fresh customer named `name` on its own sandbox card; a declining card leaves it incomplete, owing its first invoice. */
async function contractOf(ctx: ServiceContext, planId: string, name: string, declines: boolean): Promise<Seeded> {
  const controls = ctx.gateways.byName("sandbox")!.testControls!;
  const customer = await createCustomer(ctx, { email: `${randomUUID()}@jobs.e2e.test`, name });
  const token = await controls.createToken({ number: "4242424242424242", expMonth: 12, expYear: 2035, cvc: "123" }, ctx.clock.now());
  const card = await addPaymentMethod(ctx, { customerId: customer.id, token: token.id });
  if (declines) await controls.setCardBehavior(card.gatewayRef, "insufficient_funds");
  try {
    const sub = await createSubscription(ctx, { customerId: customer.id, planId });
    return { id: sub.id, name, card: card.gatewayRef };
  } catch (error) {
    if (error instanceof ServiceError && error.code === "payment_declined" && error.details.subscriptionId) return { id: error.details.subscriptionId, name, card: card.gatewayRef };
    throw error;
  }
}

/** A plan of its own (catalogue work: an owner's). */
async function planOf(ctx: ServiceContext) {
  const product = await createProduct(ctx, { name: `一括テスト ${randomUUID().slice(0, 8)}` });
  return createPlan(ctx, { amount: 1200, interval: "month", productId: product.id });
}

/** Three contracts owing their first payment (two whose cards now work, one still declining) and one active contract. */
async function retryBook(ctx: ServiceContext, owner: ServiceContext) {
  const tag = randomUUID().slice(0, 6);
  const plan = await planOf(owner);
  const owing = [await contractOf(ctx, plan.id, `一括 山田 ${tag}`, true), await contractOf(ctx, plan.id, `一括 佐藤 ${tag}`, true), await contractOf(ctx, plan.id, `一括 髙橋① ${tag}`, true)];
  const active = await contractOf(ctx, plan.id, `一括 鈴木 ${tag}`, false);
  const controls = ctx.gateways.byName("sandbox")!.testControls!;
  await controls.setCardBehavior(owing[0]!.card, "succeed");
  await controls.setCardBehavior(owing[1]!.card, "succeed");
  return { owing, active, controls };
}

const progressBar = (page: Page) => page.getByRole("progressbar", { name: "処理の進み具合" });

test.describe("jobs of a new merchant", () => {
  test.use({ signedInAs: null });

  test("the jobs page says what to do while there is no job yet", async ({ page, server }) => {
    // A merchant of its own, signed in through the sign-in page: the demo merchant's list depends on the other tests.
    const tag = randomUUID().slice(0, 8);
    const email = `new-${tag}@merchant.test`;
    await createMerchant({ db: server.database.db, actor: { type: "system", id: "e2e" }, clock: server.platform.clock }, { name: `新規店 ${tag}`, email, password: "new-merchant-password", ownerName: "新規 店長" });
    await page.goto("/console/jobs");
    await page.getByLabel("メールアドレス").fill(email);
    await page.getByLabel("パスワード").fill("new-merchant-password");
    await page.getByRole("button", { name: "ログイン" }).click();
    await expect(page).toHaveURL(/\/console\/jobs$/);
    await expect(page.getByRole("heading", { name: "一括処理", level: 1 })).toBeVisible();
    await expect(page.getByText("まだ一括処理はありません。")).toBeVisible();
    await expect(page.getByRole("link", { name: "契約一覧へ" })).toHaveAttribute("href", "/console/subscriptions");
    await expectAccessible(page);
  });
});

test.describe("jobs (operator)", () => {
  test.use({ signedInAs: "operator" });

  test("a bulk retry now reaches 100 %, shows each row's result and reason, gives its CSV, and retries its failed rows", async ({ page, server }) => {
    const ctx = await server.as("operator");
    const { owing, active, controls } = await retryBook(ctx, await server.as("owner"));
    const job = await startBulkJob(ctx, { kind: "retry", params: { at: null }, selection: { type: "ids", ids: [...owing.map((c) => c.id), active.id] } });

    await page.goto(`/console/jobs/${job.id}`);
    await expect(page.getByRole("heading", { name: "一括再決済の結果" })).toBeVisible();
    // The server's runner works the job while the page refreshes itself.
    await expect(progressBar(page)).toHaveAttribute("aria-valuenow", "100", { timeout: 20_000 });
    await expect(page.getByTestId("job-counts")).toHaveText("完了 2 ・ スキップ 1 ・ 失敗 1");
    await expect(page.getByText("すべての契約の処理が終わりました。")).toBeVisible();
    const results = page.getByTestId("job-results");
    await expect(results.getByRole("row").filter({ hasText: owing[0]!.name })).toContainText("再決済で支払われました");
    await expect(results.getByRole("row").filter({ hasText: active.name })).toContainText("未払いの請求がないため再決済しません（有効）");
    await expectAccessible(page);

    // Filtered by result: only the failed row, with the decline in words.
    await page.getByRole("navigation", { name: "結果で絞り込み" }).getByRole("link", { name: /失敗/ }).click();
    await expect(page).toHaveURL(/result=failed/);
    await expect(results.getByRole("row")).toHaveCount(2);
    await expect(results.getByRole("row").nth(1)).toContainText(owing[2]!.name);
    await expect(results.getByRole("row").nth(1)).toContainText("カードが利用できませんでした: 残高・利用可能枠の不足");

    // The result CSV, both encodings, parsed back.
    const [utf8Download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "CSV（UTF-8）" }).click()]);
    const utf8 = await readFile((await utf8Download.path())!);
    expect([...utf8.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const parsed = Papa.parse<Record<string, string>>(utf8.subarray(3).toString("utf8"), { header: true, skipEmptyLines: true });
    expect(parsed.meta.fields).toEqual(["番号", "契約ID", "顧客名", "契約の状態", "結果", "理由", "処理日時"]);
    expect(parsed.data.map((row) => [row["契約ID"], row["顧客名"], row["結果"]])).toEqual([
      [owing[0]!.id, owing[0]!.name, "完了"],
      [owing[1]!.id, owing[1]!.name, "完了"],
      [owing[2]!.id, owing[2]!.name, "失敗"],
      [active.id, active.name, "スキップ"],
    ]);
    expect(parsed.data[2]!["理由"]).toBe("カードが利用できませんでした: 残高・利用可能枠の不足");
    expect(parsed.data[0]!["契約の状態"]).toBe("有効");
    const [sjisDownload] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "CSV（Shift_JIS・Excel向け）" }).click()]);
    const sjis = await readFile((await sjisDownload.path())!);
    expect(sjis[0]).not.toBe(0xef);
    const sjisRows = Papa.parse<Record<string, string>>(iconv.decode(sjis, "cp932"), { header: true, skipEmptyLines: true }).data;
    expect(sjisRows.map((row) => row["顧客名"])).toEqual([owing[0]!.name, owing[1]!.name, owing[2]!.name, active.name]);

    // The card is fixed: the failed row again, as a new job that reaches 100 % with it done.
    await controls.setCardBehavior(owing[2]!.card, "succeed");
    await page.getByRole("button", { name: "失敗した行を再実行" }).click();
    const dialog = page.getByRole("dialog", { name: "失敗した行を再実行" });
    await expect(dialog).toContainText("失敗した 1 件の契約に、同じ処理");
    await dialog.getByRole("button", { name: "再実行する" }).click();
    await expect(page).not.toHaveURL(new RegExp(`/console/jobs/${job.id}`));
    await expect(page.getByRole("link", { name: "元の処理を開く" })).toHaveAttribute("href", `/console/jobs/${job.id}`);
    await expect(progressBar(page)).toHaveAttribute("aria-valuenow", "100", { timeout: 20_000 });
    await expect(page.getByTestId("job-counts")).toHaveText("完了 1 ・ スキップ 0 ・ 失敗 0");
    await expect(page.getByTestId("job-results").getByRole("row").nth(1)).toContainText(owing[2]!.name);

    // The list shows both jobs, newest first, with who started them.
    await page.goto("/console/jobs");
    const rows = page.getByRole("table", { name: "一括処理の一覧" }).getByRole("row");
    await expect(rows.nth(1)).toContainText("一括再決済");
    await expect(rows.nth(1)).toContainText("完了 1 ・ スキップ 0 ・ 失敗 0");
    await expect(page.getByTestId(`job-row-${job.id}`)).toContainText("完了 2 ・ スキップ 1 ・ 失敗 1");
    await expect(page.getByTestId(`job-row-${job.id}`)).toContainText("100%");
    await expectAccessible(page);
  });

  test("a bulk cancel at period end with a reason, and a job of another merchant is not found", async ({ page, server }) => {
    const ctx = await server.as("operator");
    const plan = await planOf(await server.as("owner"));
    const tag = randomUUID().slice(0, 6);
    const contracts = [await contractOf(ctx, plan.id, `解約 一 ${tag}`, false), await contractOf(ctx, plan.id, `解約 二 ${tag}`, false)];
    const job = await startBulkJob(ctx, { kind: "cancel", params: { atPeriodEnd: true, reason: "サービス終了のため" }, selection: { type: "ids", ids: contracts.map((c) => c.id) } });
    await page.goto(`/console/jobs/${job.id}`);
    await expect(page.getByRole("heading", { name: "一括解約の結果" })).toBeVisible();
    await expect(page.getByText("有効期限で解約・理由: サービス終了のため")).toBeVisible();
    await expect(progressBar(page)).toHaveAttribute("aria-valuenow", "100", { timeout: 20_000 });
    await expect(page.getByTestId("job-counts")).toHaveText("完了 2 ・ スキップ 0 ・ 失敗 0");
    // Nothing failed: the button says why it is disabled.
    await expect(page.getByRole("button", { name: "失敗した行を再実行" })).toBeDisabled();
    await expect(page.getByLabel("失敗した行はありません")).toBeVisible();

    const other = await createMerchant(operatorContext(server.platform, "", null), { name: "よその店", email: `${randomUUID()}@other.e2e.test`, password: "other-password" });
    const stranger = operatorContext(server.platform, other.merchantId, "e2e");
    const strangerPlan = await planOf(stranger);
    const theirs = await contractOf(stranger, strangerPlan.id, `他店 ${tag}`, false);
    const theirJob = await startBulkJob(stranger, { kind: "cancel", params: { atPeriodEnd: true }, selection: { type: "ids", ids: [theirs.id] } });
    const response = await page.goto(`/console/jobs/${theirJob.id}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "見つかりません" })).toBeVisible();
    await expect(page.getByText("サービス終了のため")).toHaveCount(0);
    expect((await page.request.get(`/console/jobs/${theirJob.id}/csv`)).status()).toBe(404);
  });
});

test.describe("jobs (viewer)", () => {
  test.use({ signedInAs: "viewer" });

  test("a viewer reads jobs and their results but cannot retry failed rows", async ({ page, server }) => {
    const ctx = await server.as("operator");
    const plan = await planOf(await server.as("owner"));
    const failing = await contractOf(ctx, plan.id, `閲覧 ${randomUUID().slice(0, 6)}`, true);
    const job = await startBulkJob(ctx, { kind: "retry", params: { at: null }, selection: { type: "ids", ids: [failing.id] } });
    await page.goto(`/console/jobs/${job.id}`);
    await expect(progressBar(page)).toHaveAttribute("aria-valuenow", "100", { timeout: 20_000 });
    await expect(page.getByTestId("job-counts")).toHaveText("完了 0 ・ スキップ 0 ・ 失敗 1");
    await expect(page.getByRole("button", { name: "失敗した行を再実行" })).toBeDisabled();
    await expect(page.getByLabel("閲覧のみの権限では実行できません")).toBeVisible();
    await page.getByLabel("閲覧のみの権限では実行できません").focus();
    await expect(page.getByRole("tooltip")).toContainText("閲覧のみの権限では実行できません");
    await expectAccessible(page);
  });
});
