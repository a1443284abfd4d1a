import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { atobaraiOrders, atobaraiStatements } from "@/db/schema";
import { enableAtobarai } from "@/lib/services/atobarai-settings";
import { createTestClock } from "@/lib/services/create-test-clock";
import { expect, expectAccessible, test } from "./support/fixtures";
import { inbox } from "./support/inbox";

/**
 * 後払い's whole path in the browser, on a test clock so that a month passes in a minute: an operator registers an
 * order on the clock by the form, advances the clock (the order is screened OK at the clock's time), uploads the
 * tracking number by CSV (the invoice is issued and mailed), records the sandbox's test payment, advances past the
 * month's end, and reads the clock's own statement with its PDF — while the live statements list does not show it.
 */

test.use({ signedInAs: "operator" });

test("an order on a test clock: form → screened as the clock advances → tracking CSV → invoice mailed → test payment → the clock's statement and PDF", async ({ page, server, request }) => {
  test.setTimeout(180_000);
  await enableAtobarai(await server.as("owner")).catch(() => {});
  const tag = randomUUID().slice(0, 6).toUpperCase();
  const ref = `CLK-${tag}`;
  const email = `clk-${tag.toLowerCase()}@example.jp`;
  const clockName = `後払い ${tag}`;
  const clock = await createTestClock(await server.as("operator"), { frozenTime: new Date("2027-04-01T01:00:00Z"), name: clockName });
  const orderOf = async () => (await server.database.db.select().from(atobaraiOrders).where(and(eq(atobaraiOrders.merchantId, server.merchantId), eq(atobaraiOrders.orderRef, ref))))[0]!;

  // Registered on the clock: at the clock's time (10:00 on 1 April, Tokyo), and said so on its page.
  await page.goto("/console/atobarai/orders/new");
  await page.getByLabel("注文番号（貴社の注文 ID）").fill(ref);
  await page.getByLabel("氏名", { exact: true }).fill("時計 花子");
  await page.getByLabel("氏名（カナ）").fill("トケイ ハナコ");
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("電話番号").fill("090-2222-3333");
  await page.getByLabel("郵便番号").fill("100-0001");
  await page.getByLabel("住所（都道府県から）").fill(`東京都千代田区千代田5-${tag.slice(-2)}`);
  await page.getByLabel("商品名").fill("玉露 50g");
  await page.getByLabel("単価（税込・円）").fill("4400");
  await page.getByLabel("テストクロック（任意）").selectOption(clock.id);
  await expectAccessible(page);
  await page.getByRole("button", { name: "注文を登録する" }).click();
  await expect(page.getByRole("heading", { name: `注文 ${ref}` })).toBeVisible();
  await expect(page.getByTestId("test-clock-badge")).toHaveText(`テストクロック：${clockName}`);
  await expect(page.getByTestId("test-clock-note")).toContainText("2027/04/01 10:00");
  expect(await orderOf()).toMatchObject({ status: "registered", testClockId: clock.id, createdAt: new Date("2027-04-01T01:00:00Z") });
  await expectAccessible(page);

  // The clock moves on by an hour: the order is screened there, not by the live worker.
  await page.getByTestId("test-clock-note").getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/console/test-clocks/${clock.id}$`));
  await page.getByLabel("指定した日時まで進める").fill("2027-04-01T11:00");
  await page.getByRole("button", { name: "進める", exact: true }).click();
  await expect(page.getByTestId("frozen-time")).toHaveText("2027/04/01 11:00", { timeout: 30_000 });
  await expect.poll(async () => (await orderOf()).status).toBe("approved");
  expect((await orderOf()).screenedAt).toEqual(new Date("2027-04-01T02:00:00Z"));

  // The tracking number by CSV issues the invoice at the clock's time and mails it, PDF attached.
  await page.goto("/console/atobarai/upload");
  const form = page.getByRole("form", { name: "送り状番号の一括登録" });
  await form.getByLabel("CSV ファイル").setInputFiles({ name: "shipments.csv", mimeType: "text/csv", buffer: Buffer.from(`注文番号,送り状番号\n${ref},4321-8765-0000\n`) });
  await form.getByRole("button", { name: "読み込む" }).click();
  await expect(form.getByText("1 件の請求書を発行しました（誤り 0 行）。")).toBeVisible();
  const shipped = await orderOf();
  expect(shipped).toMatchObject({ status: "shipped", invoiceIssuedAt: new Date("2027-04-01T02:00:00Z"), dueOn: "2027-04-15" });
  await expect.poll(async () => (await inbox(email)).filter((m) => m.subject.includes("ご請求書")).length, { timeout: 30_000 }).toBe(1);

  // The sandbox's test payment, on the order's page, pays it at the clock's time.
  await page.goto(`/console/atobarai/orders/${shipped.id}`);
  await page.getByRole("button", { name: "テスト入金（残額を支払う）" }).click();
  await expect(page.getByText("テスト入金を記録しました。")).toBeVisible();
  await expect.poll(async () => (await orderOf()).status).toBe("paid");
  expect((await orderOf()).paidAt).toEqual(new Date("2027-04-01T02:00:00Z"));

  // Past April's end: the clock's statement closes at 00:00 on 1 May, on its own list.
  await page.goto(`/console/test-clocks/${clock.id}`);
  await page.getByLabel("指定した日時まで進める").fill("2027-05-02T09:00");
  await page.getByRole("button", { name: "進める", exact: true }).click();
  await expect(page.getByTestId("frozen-time")).toHaveText("2027/05/02 09:00", { timeout: 60_000 });
  const [statement] = await server.database.db.select().from(atobaraiStatements).where(eq(atobaraiStatements.testClockId, clock.id));
  expect(statement).toMatchObject({ periodStart: "2027-04-01", periodEnd: "2027-04-30", sales: 4_400, orderCount: 1 });

  await page.goto("/console/atobarai/statements");
  await expect(page.getByRole("link", { name: "2027-04-01 〜 2027-04-30" })).toHaveCount(0);
  await page.getByRole("combobox", { name: "表示する精算書" }).selectOption(clock.id);
  await page.getByRole("button", { name: "表示", exact: true }).click();
  await expect(page.getByTestId("statements-clock-note")).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "2027-04-01 〜 2027-04-30" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /精算書 2027-04-01〜2027-04-30/ })).toBeVisible();
  await expect(page.getByTestId("statement-lines").getByRole("row").filter({ hasText: ref })).toHaveCount(2);
  await expect(page.getByTestId("test-clock-badge")).toBeVisible();
  await expectAccessible(page);
  const csvHref = await page.getByRole("link", { name: "CSV をダウンロード" }).getAttribute("href");
  const pdf = await request.get(`${csvHref!.replace(/\/csv$/, "")}/pdf`);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
});
