import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { atobaraiAccounts, atobaraiOrders, subscriptions } from "@/db/schema";
import { DEFAULT_ATOBARAI_SETTINGS } from "@/lib/billing/atobarai/settings";
import { closeAtobaraiSettlements } from "@/lib/services/close-atobarai-settlements";
import { seedAtobaraiOrder } from "@/test/support/atobarai";
import { declinedRenewal } from "./support/declined-renewal";
import { expect, expectAccessible, test } from "./support/fixtures";

/**
 * 後払い money in the console: the owner imports a payment-notice file (a row refused, the same file again records
 * nothing twice), reads the settlement statement of a closed month with its CSV and PDF, and sends a contract's
 * overdue card invoice as a konbini / bank invoice that, once paid by the next notice file, recovers the contract.
 * Orders are written straight to the schema (test/support/atobarai.ts): ORDERS' registration and shipping are not on
 * this branch. The demo merchant is shared: everything here carries a tag of its own.
 */

const csvFile = (name: string, text: string) => ({ name, mimeType: "text/csv", buffer: Buffer.from(text, "utf8") });

test("an owner imports payment notices, reads a statement and its CSV / PDF, and sends a card's fallback invoice", async ({ page, server, request }) => {
  test.setTimeout(120_000);
  const owner = await server.as("owner");
  const db = server.database.db;
  const tag = randomUUID().slice(0, 6).toUpperCase();
  await db.insert(atobaraiAccounts).values({ merchantId: server.merchantId, settings: DEFAULT_ATOBARAI_SETTINGS }).onConflictDoNothing();
  const paid = await seedAtobaraiOrder(server.database, server.merchantId, { orderRef: `E2E-${tag}-1`, amount: 5_500, shippedAt: new Date("2026-09-10T03:00:00Z"), dueOn: "2026-09-24" });
  const part = await seedAtobaraiOrder(server.database, server.merchantId, { orderRef: `E2E-${tag}-2`, amount: 12_800, shippedAt: new Date("2026-09-11T03:00:00Z"), dueOn: "2026-09-25" });

  // Payments: one full, one part, one number that matches no order.
  await page.goto("/console/atobarai/payments");
  await expect(page.getByRole("heading", { level: 1, name: "後払いの入金取込" })).toBeVisible();
  await expectAccessible(page);
  const notices = ["通知番号,払込票番号,振込依頼人番号,金額,入金日,入金方法", `${tag}-1,${paid.paymentNumber},,5500,2026/09/20,コンビニ`, `${tag}-2,,${part.bankReference},8000,2026/09/21,銀行`, `${tag}-3,1111111111111,,1000,2026/09/21,コンビニ`].join("\r\n");
  await page.getByLabel("入金データの CSV ファイル").setInputFiles(csvFile("notices.csv", notices));
  await page.getByRole("button", { name: "取り込む" }).click();
  const result = page.getByTestId("payment-import-result");
  await expect(result).toContainText("2 件を記録しました。記録済み（重複）0 件、取り込めなかった行 1 件。");
  await expect(page.getByTestId("payment-import-errors")).toContainText("該当する注文がありません");
  await expectAccessible(page);
  await page.getByLabel("入金データの CSV ファイル").setInputFiles(csvFile("notices.csv", notices));
  await page.getByRole("button", { name: "取り込む" }).click();
  await expect(result).toContainText("0 件を記録しました。記録済み（重複）2 件、取り込めなかった行 1 件。");
  await expect(page.getByTestId("payment-import-history").getByRole("row")).toHaveCount(3);
  const [afterPart] = await db.select().from(atobaraiOrders).where(eq(atobaraiOrders.id, part.id));
  expect(afterPart).toMatchObject({ status: "shipped", amountPaid: 8_000 });

  // September closes (month end, Tokyo): both orders on it, fees to the yen.
  const closed = await closeAtobaraiSettlements(server.platform, { merchantId: server.merchantId });
  expect(closed.closed.map((c) => c.periodEnd)).toContain("2026-09-30");
  await page.goto("/console/atobarai/statements");
  await expect(page.getByRole("heading", { level: 1, name: "立替払いの精算書" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "2026-09-01 〜 2026-09-30" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "精算書 2026-09-01〜2026-09-30" })).toBeVisible();
  const lines = page.getByTestId("statement-lines");
  await expect(lines.getByRole("row").filter({ hasText: `E2E-${tag}-1` })).toHaveCount(2);
  await expect(lines).toContainText("-¥349");
  await expect(lines).toContainText("-¥561");
  await expectAccessible(page);
  const csvHref = await page.getByRole("link", { name: "CSV をダウンロード" }).getAttribute("href");
  const csv = await request.get(csvHref!);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const csvText = await csv.text();
  expect(csvText).toContain(`売上,E2E-${tag}-1,${paid.id}`);
  expect(csvText).toContain(`手数料,E2E-${tag}-2,${part.id},後払 花子,2026-09-11,-561`);
  const pdf = await request.get(`${csvHref!.replace(/\/csv$/, "")}/pdf`);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

  // A card's fallback: the overdue renewal sent as a konbini / bank invoice, paid by the next notice file.
  const { subscription } = await declinedRenewal(owner, "lost_card", "atobarai-fallback");
  await page.goto(`/console/subscriptions/${subscription.id}`);
  await page.getByRole("button", { name: "コンビニ・銀行払いの請求書を送る" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("カード決済に失敗した未払いの請求");
  await expectAccessible(page);
  await dialog.getByLabel("フリガナ").fill("リンク ハナコ");
  await dialog.getByLabel("電話番号").fill("090-1234-5678");
  await dialog.getByLabel("郵便番号").fill("100-0001");
  await dialog.getByLabel("住所").fill("東京都千代田区千代田1-1");
  await dialog.getByRole("button", { name: "請求書を送る" }).click();
  await expect(page.getByText(/請求書を発行しました（注文 FB-/)).toBeVisible();
  await expect(page.getByRole("button", { name: "コンビニ・銀行払いの請求書を送る" })).toHaveCount(0);
  const [fallback] = await db.select().from(atobaraiOrders).where(eq(atobaraiOrders.fallbackForInvoiceId, (await db.select().from(subscriptions).where(eq(subscriptions.id, subscription.id)))[0]!.overdueInvoiceId!));
  expect(fallback).toMatchObject({ status: "shipped", amount: 3_000 });

  await page.goto("/console/atobarai/payments");
  await page.getByLabel("入金データの CSV ファイル").setInputFiles(csvFile("fallback.csv", `通知番号,払込票番号,金額\n${tag}-FB,${fallback!.paymentNumber},3000\n`));
  await page.getByRole("button", { name: "取り込む" }).click();
  await expect(result).toContainText("1 件を記録しました。");
  const [recovered] = await db.select().from(subscriptions).where(eq(subscriptions.id, subscription.id));
  expect(recovered).toMatchObject({ status: "active", overdueInvoiceId: null });
  await page.goto(`/console/subscriptions/${subscription.id}`);
  await expect(page.getByText("有効", { exact: true }).first()).toBeVisible();
});

/** An order of ¥12,800 its buyer paid ¥14,300 for (written straight to the schema, as the payment would leave it). */
async function overPaidOrder(server: { database: Parameters<typeof seedAtobaraiOrder>[0]; merchantId: string }, tag: string) {
  await server.database.db.insert(atobaraiAccounts).values({ merchantId: server.merchantId, settings: DEFAULT_ATOBARAI_SETTINGS }).onConflictDoNothing();
  const order = await seedAtobaraiOrder(server.database, server.merchantId, { orderRef: `RF-${tag}`, amount: 12_800, shippedAt: new Date("2026-10-01T03:00:00Z"), dueOn: "2026-10-15" });
  await server.database.db.update(atobaraiOrders).set({ status: "paid", amountPaid: 14_300 }).where(eq(atobaraiOrders.id, order.id));
  return order;
}

test("an owner sees an over-paid order owing ¥1,500 back and records the refund: nothing is owed after it", async ({ page, server }) => {
  const tag = randomUUID().slice(0, 6).toUpperCase();
  const order = await overPaidOrder(server, tag);

  // The list: a badge on the order, and a filter for orders owing a refund.
  await page.goto("/console/atobarai?refund=owed");
  const row = page.getByRole("row").filter({ hasText: `RF-${tag}` });
  await expect(row).toContainText("返金が必要 ¥1,500");
  await expect(page.getByLabel("返金が必要な注文のみ")).toBeChecked();
  await expectAccessible(page);
  await page.goto("/console/atobarai/payments");
  await expect(page.getByTestId("atobarai-refunds-owed")).toContainText("返金する必要があります");

  await page.goto(`/console/atobarai/orders/${order.id}`);
  const banner = page.getByTestId("atobarai-refund-owed");
  await expect(banner.getByRole("heading", { name: "返金が必要 ¥1,500" })).toBeVisible();
  await banner.getByRole("button", { name: "返金を記録する" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByLabel("返金額（円）")).toHaveValue("1500");
  await expectAccessible(page);
  // More than is owed stays in the dialog with the reason.
  await dialog.getByLabel("返金額（円）").fill("1501");
  await dialog.getByRole("button", { name: "記録する" }).click();
  await expect(dialog.getByText("1 円以上 ¥1,500 以下の整数で入力してください。")).toBeVisible();
  await dialog.getByLabel("返金額（円）").fill("1500");
  await dialog.getByLabel("返金方法").selectOption("bank_transfer");
  await dialog.getByLabel(/メモ/).fill(`振込 ${tag}`);
  await dialog.getByRole("button", { name: "記録する" }).click();
  await expect(page.getByText("¥1,500 の返金を記録しました。")).toBeVisible();
  await expect(page.getByTestId("atobarai-refund-owed")).toHaveCount(0);
  await expect(page.getByTestId("atobarai-refunds")).toContainText(`¥1,500（銀行振込）「振込 ${tag}」`);
  await expect(page.getByRole("main").getByRole("listitem").filter({ hasText: "返金を記録" })).toContainText("¥1,500");
  await expectAccessible(page);
  const [after] = await server.database.db.select().from(atobaraiOrders).where(eq(atobaraiOrders.id, order.id));
  expect(after).toMatchObject({ amountPaid: 14_300, amountRefunded: 1_500 });
  await page.goto("/console/atobarai?refund=owed");
  await expect(page.getByRole("row").filter({ hasText: `RF-${tag}` })).toHaveCount(0);
});

test.describe("a viewer", () => {
  test.use({ signedInAs: "viewer" });
  test("sees a refund owed but cannot record it, with the reason", async ({ page, server }) => {
    const order = await overPaidOrder(server, randomUUID().slice(0, 6).toUpperCase());
    await page.goto(`/console/atobarai/orders/${order.id}`);
    const banner = page.getByTestId("atobarai-refund-owed");
    await expect(banner.getByRole("button", { name: "返金を記録する" })).toBeDisabled();
    await expect(banner.getByLabel("返金の記録はオーナー・管理者・オペレーターが行えます。")).toBeVisible();
    await expectAccessible(page);
  });

  test("is refused an import, with the reason", async ({ page }) => {
    await page.goto("/console/atobarai/payments");
    await page.getByLabel("入金データの CSV ファイル").setInputFiles(csvFile("x.csv", "通知番号,注文番号,金額\nV-1,NOPE,100\n"));
    await page.getByRole("button", { name: "取り込む" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "権限" })).toBeVisible();
    await expectAccessible(page);
  });
});
