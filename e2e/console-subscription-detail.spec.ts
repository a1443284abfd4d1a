import { randomUUID } from "node:crypto";
import type { Page, Request } from "@playwright/test";
import { and, eq } from "drizzle-orm";
import { invoices, refunds, scheduledActions, subscriptions, usageRecords } from "@/db/schema";
import { instantOfLocalDateTime, localDateTimeOf } from "@/lib/billing/calendar";
import { SANDBOX_TEST_CARDS } from "@/lib/gateways/sandbox-cards";
import { operatorContext, systemContext } from "@/lib/services/contexts";
import { createMerchant } from "@/lib/services/create-merchant";
import { seedContract } from "./support/contracts";
import { type ServerData, expect, expectAccessible, test } from "./support/fixtures";
import { storageStateOf } from "./support/server-data";

/**
 * Opens an action's dialog. After an action the page refreshes its server components; a click that lands while the
 * actions bar is being replaced opens nothing, so the click is repeated until the dialog shows.
 */
async function openDialog(page: Page, name: string) {
  const dialog = page.getByRole("dialog", { name });
  await expect(async () => {
    if (!(await dialog.isVisible())) await page.getByRole("button", { name, exact: true }).click();
    await expect(dialog).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
  return dialog;
}

/**
 * The contract detail page (/console/subscriptions/[id]): every verb through its dialog, with its effect read back
 * from the database; what a viewer sees and what a forged server action from a viewer's session does; another
 * merchant's contract. Contracts are seeded through the services, each with names of its own.
 */

const contractOf = async (server: ServerData, id: string) => (await server.database.db.select().from(subscriptions).where(eq(subscriptions.id, id)))[0]!;

test.describe("an owner on a contract", () => {
  test("records usage, charges extra, refunds it, changes plan at renewal, pauses, resumes and cancels at period end", async ({ page, server }) => {
    test.setTimeout(60_000);
    const ctx = await server.as("owner");
    const seeded = await seedContract(ctx, server);
    const id = seeded.subscriptionId;
    const db = server.database.db;
    await page.goto(`/console/subscriptions/${id}`);
    await expect(page.getByRole("heading", { level: 1, name: `${seeded.customerName} さんの契約` })).toBeVisible();
    await expect(page.getByText("有効", { exact: true }).first()).toBeVisible();
    await expect(page.getByTestId("next-charge")).toContainText("¥3,000");
    await expect(page.getByTestId("card-on-file")).toContainText("VISA •••• 4242");
    await expect(page.getByTestId("timeline-upcoming")).toContainText("継続課金");
    await expect(page.getByTestId("timeline-past")).toContainText("申込時の決済 ¥3,000：成功");
    await expect(page.getByRole("link", { name: `${seeded.customerName} さんの顧客情報を開く` })).toHaveAttribute("href", /\/console\/customers\/cus_/);
    await expect(page.getByRole("button", { name: "手動再決済", exact: true })).toBeDisabled();
    await expectAccessible(page);

    // Usage: five API calls, billed at the next renewal.
    await page.getByRole("button", { name: "従量を記録", exact: true }).click();
    const usage = page.getByRole("dialog", { name: "従量を記録" });
    await usage.getByLabel("数量").fill("５"); // full-width, as a Japanese keyboard types it
    await usage.getByRole("button", { name: "記録する" }).click();
    await expect(page.getByText("api_calls を 5 記録しました。")).toBeVisible();
    expect((await db.select().from(usageRecords).where(eq(usageRecords.subscriptionId, id))).map((u) => [u.metric, u.quantity])).toEqual([["api_calls", 5]]);

    // An extra charge of ¥1,500 with its receipt.
    await page.getByRole("button", { name: "追加請求", exact: true }).click();
    const charge = page.getByRole("dialog", { name: "追加請求" });
    await expect(charge).toContainText("最後の決済成功は");
    await charge.getByLabel("金額").fill("1,500");
    await charge.getByLabel("請求内容").fill("教材費");
    await charge.getByRole("button", { name: "請求する" }).click();
    await expect(page.getByText("¥1,500 の請求に成功しました。")).toBeVisible();
    const [extra] = await db.select().from(invoices).where(and(eq(invoices.subscriptionId, id), eq(invoices.kind, "additional")));
    expect(extra).toMatchObject({ status: "paid", total: 1500, description: "教材費" });

    // Newest first; refund all of it (the default amount is what is left).
    await expect(page.locator("li[data-testid^=invoice-]").first()).toHaveAttribute("data-testid", `invoice-${extra!.id}`);
    await page.getByTestId(`invoice-${extra!.id}`).getByRole("button", { name: /の請求書を返金$/ }).click();
    const refund = page.getByRole("dialog", { name: "返金" });
    await expect(refund.getByLabel("返金額")).toHaveValue("1500");
    await refund.getByLabel("返金理由").fill("教材の発送取りやめ");
    await refund.getByRole("button", { name: "返金する" }).click();
    await expect(page.getByText("¥1,500 を返金しました。")).toBeVisible();
    expect((await db.select().from(refunds).where(eq(refunds.invoiceId, extra!.id))).map((r) => [r.amount, r.status, r.reason])).toEqual([[1500, "succeeded", "教材の発送取りやめ"]]);
    await expect(page.getByTestId(`invoice-${extra!.id}`)).toContainText("返金済み ¥1,500");

    // Change plan: previewed now, then done at the next renewal.
    await page.getByRole("button", { name: "プラン変更", exact: true }).click();
    const change = page.getByRole("dialog", { name: "プラン変更" });
    // The contract's own product comes first among the choices.
    await expect(change.getByLabel("変更先のプラン")).toHaveValue(seeded.planIds[1]!);
    await expect(change.getByTestId("plan-change-preview")).toContainText("今回の請求：¥");
    await expectAccessible(page);
    await change.getByLabel("次回更新時に変更する").check();
    await expect(change.getByTestId("plan-change-preview")).toContainText("今回の請求はありません。");
    await expect(change.getByTestId("plan-change-preview")).toContainText(/次回の更新：.+ に ¥5,000/);
    await change.getByRole("button", { name: "プランを変更する" }).click();
    await expect(page.getByText("次回更新時のプラン変更を予約しました。")).toBeVisible();
    expect((await contractOf(server, id)).pendingPlanId).toBe(seeded.planIds[1]);
    await expect(page.getByTestId("notice-plan")).toContainText("プレミアム");

    // Pause, then resume (paid time is left: it simply goes on).
    await page.getByRole("button", { name: "一時停止", exact: true }).click();
    await page.getByRole("dialog", { name: "契約を一時停止" }).getByRole("button", { name: "一時停止する" }).click();
    await expect(page.getByText("一時停止しました。")).toBeVisible();
    expect((await contractOf(server, id)).status).toBe("paused");
    await page.getByRole("button", { name: "再開", exact: true }).click();
    await page.getByRole("dialog", { name: "契約を再開" }).getByRole("button", { name: "再開する" }).click();
    await expect(page.getByText("契約を再開しました。")).toBeVisible();
    expect((await contractOf(server, id)).status).toBe("active");
    // The toast comes before the page has re-read the contract: wait until it offers an active contract's actions.
    await expect(page.getByRole("button", { name: "一時停止", exact: true })).toBeVisible();

    // Cancel at the paid-through date, with a reason.
    await page.getByRole("button", { name: "解約", exact: true }).click();
    const cancel = page.getByRole("dialog", { name: "契約を解約" });
    await expect(cancel.getByLabel(/^有効期限（.+）で解約する$/)).toBeChecked();
    await cancel.getByLabel("解約理由").fill("引っ越しのため");
    await cancel.getByRole("button", { name: "解約する" }).click();
    await expect(page.getByText("有効期限での解約を受け付けました。")).toBeVisible();
    expect(await contractOf(server, id)).toMatchObject({ status: "active", cancelAtPeriodEnd: true, cancelReason: "引っ越しのため" });
    await expect(page.getByTestId("notice-cancel")).toContainText("引っ越しのため");
    await expect(page.getByTestId("audit")).toContainText("解約");
    await expect(page.getByTestId("mails")).toContainText("解約のお知らせ");
  });

  test("a contract whose card was declined: the decline explained, a retry scheduled, one declined, one paid", async ({ page, server }) => {
    const ctx = await server.as("owner");
    const seeded = await seedContract(ctx, server, { card: SANDBOX_TEST_CARDS.decline });
    const id = seeded.subscriptionId;
    expect((await contractOf(server, id)).status).toBe("incomplete");
    await page.goto(`/console/subscriptions/${id}`);
    await expect(page.getByText("未完了", { exact: true }).first()).toBeVisible();
    await expect(page.getByTestId("attempt").first()).toContainText("カード会社による拒否");
    await expect(page.getByTestId("attempt").first()).toContainText("再決済で回復する可能性あり");

    // A retry at a chosen time of the merchant's zone (Tokyo): planned, not run.
    const local = localDateTimeOf(new Date(Date.now() + 2 * 86_400_000), "Asia/Tokyo");
    const retry = await openDialog(page, "手動再決済");
    await expect(retry).toContainText("¥3,000");
    await retry.getByLabel("日時を指定して予約する").check();
    await retry.getByLabel("決済する日時").fill(local);
    await retry.getByRole("button", { name: "予約する" }).click();
    await expect(page.getByText(/の再決済を予約しました。$/)).toBeVisible();
    const planned = await server.database.db
      .select()
      .from(scheduledActions)
      .where(and(eq(scheduledActions.subscriptionId, id), eq(scheduledActions.kind, "retry"), eq(scheduledActions.status, "pending")));
    expect(planned.map((a) => [a.dueAt.toISOString(), a.payload.manual])).toEqual([[instantOfLocalDateTime(local, "Asia/Tokyo")!.toISOString(), true]]);

    // Now: still declined, said in words.
    await (await openDialog(page, "手動再決済")).getByRole("button", { name: "今すぐ決済する" }).last().click();
    await expect(page.getByText("カードが利用できませんでした：カード会社による拒否")).toBeVisible();
    await expect(page.getByTestId("attempt")).toHaveCount(2);

    // The card works again: the retry pays and the contract is active.
    await server.platform.gateways.primary.testControls!.setCardBehavior(seeded.cardRef, "succeed");
    await (await openDialog(page, "手動再決済")).getByRole("button", { name: "今すぐ決済する" }).last().click();
    await expect(page.getByText("決済に成功しました。")).toBeVisible();
    expect((await contractOf(server, id)).status).toBe("active");
    await expect(page.getByText("有効", { exact: true }).first()).toBeVisible();
  });

  test("an extra charge outside the card-on-file window is refused with a clear message, and nothing is charged", async ({ page, server }) => {
    const ctx = await server.as("owner");
    // In its trial: never paid, so the card on file cannot be charged.
    const { subscriptionId: id } = await seedContract(ctx, server, { trialDays: 14 });
    await page.goto(`/console/subscriptions/${id}`);
    await page.getByRole("button", { name: "追加請求", exact: true }).click();
    const charge = page.getByRole("dialog", { name: "追加請求" });
    await expect(charge).toContainText("まだ一度も決済に成功していない");
    // An IME conversion confirmed with Enter in a text field does not submit the form.
    const description = charge.getByLabel("請求内容");
    await description.focus();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Input.imeSetComposition", { text: "きょうざい", selectionStart: 5, selectionEnd: 5 });
    await page.keyboard.press("Enter");
    await cdp.send("Input.insertText", { text: "教材" });
    await expect(charge.getByRole("alert")).toHaveCount(0);
    await expect(description).toHaveValue("教材");
    await charge.getByLabel("金額").fill("500");
    await charge.getByRole("button", { name: "請求する" }).click();
    await expect(charge.getByRole("alert")).toContainText("最後の決済成功から一定期間が過ぎているため、登録済みのカードには請求できません。");
    await expect(charge).toBeVisible();
    expect(await server.database.db.select().from(invoices).where(and(eq(invoices.subscriptionId, id), eq(invoices.kind, "additional")))).toEqual([]);
  });

  test("a forged server action from a viewer's session is refused and changes nothing; the same request from an operator works", async ({ page, server, playwright, baseURL }) => {
    const ctx = await server.as("owner");
    const [pausedByOwner, target] = [await seedContract(ctx, server), await seedContract(ctx, server)];
    let captured: Request | null = null;
    page.on("request", (request) => {
      if (request.method() === "POST" && request.headers()["next-action"]) captured = request;
    });
    await page.goto(`/console/subscriptions/${pausedByOwner.subscriptionId}`);
    await page.getByRole("button", { name: "一時停止", exact: true }).click();
    await page.getByRole("dialog", { name: "契約を一時停止" }).getByRole("button", { name: "一時停止する" }).click();
    await expect(page.getByText("一時停止しました。")).toBeVisible();
    expect(captured).not.toBeNull();
    const request = captured! as Request;
    // The same action, as Next.js sends it, aimed at another contract.
    const body = request.postData()!.replaceAll(pausedByOwner.subscriptionId, target.subscriptionId);
    expect(body).toContain(target.subscriptionId);
    const headers = Object.fromEntries(Object.entries(request.headers()).filter(([name]) => name !== "cookie"));
    const replay = async (role: "viewer" | "operator") => {
      const session = await playwright.request.newContext({ baseURL, storageState: storageStateOf(role) });
      const response = await session.post(new URL(request.url()).pathname, { headers, data: body });
      const text = await response.text();
      await session.dispose();
      return { status: response.status(), text };
    };
    const refused = await replay("viewer");
    expect(refused.text).toContain("この操作を行う権限がありません。");
    expect(await contractOf(server, target.subscriptionId)).toMatchObject({ status: "active", pausedAt: null });
    const done = await replay("operator");
    expect(done.status).toBe(200);
    expect((await contractOf(server, target.subscriptionId)).status).toBe("paused");
  });

  test("another merchant's contract, like an unknown id, is not found", async ({ page, server }) => {
    const tag = randomUUID().slice(0, 8);
    const other = await createMerchant(systemContext(server.platform, server.merchantId), { name: `別の商店 ${tag}`, email: `other-${tag}@merchant.test`, password: "other-merchant-password" });
    const theirs = await seedContract(operatorContext(server.platform, other.merchantId), server);
    // The detail page's layout checks the id before its loading boundary starts the response: a real 404.
    const response = await page.goto(`/console/subscriptions/${theirs.subscriptionId}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "契約が見つかりません" })).toBeVisible();
    await expect(page.getByText(theirs.customerName)).toHaveCount(0);
    expect((await page.goto("/console/subscriptions/sub_does_not_exist"))?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "契約が見つかりません" })).toBeVisible();
  });
});

test.describe("a viewer on a contract", () => {
  test.use({ signedInAs: "viewer" });

  test("sees the contract, its hard decline explained, and no enabled action", async ({ page, server }) => {
    const seeded = await seedContract(await server.as("owner"), server, { card: SANDBOX_TEST_CARDS.lostCard });
    await page.goto(`/console/subscriptions/${seeded.subscriptionId}`);
    await expect(page.getByRole("heading", { level: 1, name: `${seeded.customerName} さんの契約` })).toBeVisible();
    await expect(page.getByText("閲覧のみの権限のため、操作はできません。")).toBeVisible();
    await expect(page.getByTestId("attempt").first()).toContainText("紛失届の出ているカード");
    await expect(page.getByTestId("attempt").first()).toContainText("カードの交換が必要");
    const actions = page.getByRole("region", { name: "操作" }).getByRole("button");
    await expect(actions).toHaveCount(7);
    for (const button of await actions.all()) await expect(button).toBeDisabled();
    for (const button of await page.getByRole("button", { name: /の請求書を返金$/ }).all()) await expect(button).toBeDisabled();
    // The reason is given where the button is: on focus, in a tooltip.
    await page.getByLabel("閲覧のみの権限では操作できません。").first().focus();
    await expect(page.getByRole("tooltip")).toContainText("閲覧のみの権限では操作できません。");
    await expectAccessible(page);
  });
});
