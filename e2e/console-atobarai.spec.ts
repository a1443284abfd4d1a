import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { atobaraiOrders } from "@/db/schema";
import { atobaraiInvoiceUrl } from "@/lib/mail/links";
import { enableAtobarai, updateAtobaraiSettings } from "@/lib/services/atobarai-settings";
import { registerAtobaraiOrder } from "@/lib/services/register-atobarai-order";
import { screenAtobaraiOrder } from "@/lib/services/screen-atobarai-orders";
import { type ServerData, expect, expectAccessible, test } from "./support/fixtures";
import { inbox } from "./support/inbox";

/**
 * 後払い (/console/atobarai): an operator registers an order by the form, sees it screened OK and ships it (the invoice
 * is issued with its payment number, and mailed with its PDF attached); decides an order on hold in the review queue; uploads a CSV with a bad row
 * (nothing written, the row listed) and then with the good rows only. An owner changes the settings (a new cycle
 * waits for the close; put back afterwards: the demo merchant is shared). Each page passes axe.
 */

const tag = () => randomUUID().slice(0, 8).toUpperCase();
const orderByRef = async (server: ServerData, ref: string) =>
  (await server.database.db.select().from(atobaraiOrders).where(and(eq(atobaraiOrders.merchantId, server.merchantId), eq(atobaraiOrders.orderRef, ref))))[0];
/** The runner in the server screens registered orders too; whichever comes first screens it once. */
const screen = (server: ServerData, id: string) => screenAtobaraiOrder(server.platform, server.merchantId, id);

test.beforeAll(async ({ server }) => {
  await enableAtobarai(await server.as("owner"));
});

test.describe("an operator", () => {
  test.use({ signedInAs: "operator" });

  test("registers an order by the form, sees it screened OK, ships it and the invoice is issued", async ({ page, server }) => {
    // Three pages, each checked by axe, and the buyer's mail awaited from the stand-in.
    test.setTimeout(90_000);
    const ref = `E2E-${tag()}`;
    await page.goto("/console/atobarai/orders/new");
    await expectAccessible(page);
    await page.getByLabel("注文番号（貴社の注文 ID）").fill(ref);
    await page.getByLabel("氏名", { exact: true }).fill("後払 太郎");
    await page.getByLabel("氏名（カナ）").fill("アトバライ タロウ");
    await page.getByLabel("メールアドレス").fill(`${ref.toLowerCase()}@example.jp`);
    await page.getByLabel("電話番号").fill("090-8765-4321");
    await page.getByLabel("郵便番号").fill("100-0001");
    await page.getByLabel("住所（都道府県から）").fill(`東京都千代田区千代田2-${ref.slice(-2)}`);
    await page.getByLabel("商品名").fill("煎茶 100g");
    await page.getByLabel("単価（税込・円）").fill("1800");
    await page.getByRole("button", { name: "商品を追加" }).click();
    await page.getByLabel("商品名").nth(1).fill("送料");
    await page.getByLabel("単価（税込・円）").nth(1).fill("500");
    await expect(page.getByText("¥2,300")).toBeVisible();
    await page.getByRole("button", { name: "注文を登録する" }).click();
    await expect(page.getByRole("heading", { name: `注文 ${ref}` })).toBeVisible();
    const order = await orderByRef(server, ref);
    expect(order).toMatchObject({ amount: 2_300, source: "console" });

    await screen(server, order!.id);
    await page.reload();
    await expect(page.getByText("与信結果：OK")).toBeVisible();
    await expectAccessible(page);
    await page.getByLabel("送り状番号").fill("1234-5678-9012");
    await page.getByRole("button", { name: "登録して請求書を発行する" }).click();
    await expect(page.getByText("送り状番号を登録し、請求書を発行しました。")).toBeVisible();
    await expect(page.getByText("請求書発行済み").first()).toBeVisible();
    const shipped = await orderByRef(server, ref);
    await expect(page.getByText(shipped!.paymentNumber!)).toBeVisible();
    await expect(page.getByRole("link", { name: /請求書 PDF を開く/ })).toBeVisible();
    const pdf = await page.request.get(`/console/atobarai/orders/${shipped!.id}/invoice`);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    await expectAccessible(page);
    // The buyer's mailed link opens the same PDF without an account; a forged one opens nothing.
    const link = await atobaraiInvoiceUrl(server.platform.links, { merchantId: server.merchantId, orderId: shipped!.id }, new Date());
    const buyerPdf = await page.request.get(new URL(link).pathname);
    expect(buyerPdf.status()).toBe(200);
    expect(buyerPdf.headers()["content-type"]).toBe("application/pdf");
    expect((await buyerPdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
    expect((await page.request.get(`${new URL(link).pathname}x`)).status()).toBe(404);

    // The buyer's mail arrives with the PDF attached — the very file the link opens — and the outbox shows it.
    const email = `${ref.toLowerCase()}@example.jp`;
    const invoiceMails = async () => (await inbox(email)).filter((m) => m.subject.includes("ご請求書"));
    await expect.poll(async () => (await invoiceMails()).length, { timeout: 30_000 }).toBe(1);
    const [mailed] = await invoiceMails();
    expect(mailed!.attachments.map((a) => [a.filename, a.contentType])).toEqual([[`請求書_${ref}.pdf`, "application/pdf"]]);
    expect(Buffer.from(mailed!.attachments[0]!.content, "base64").equals(await buyerPdf.body())).toBe(true);
    expect(mailed!.text).toContain("/b/");
    await page.goto(`/console/mails?q=${encodeURIComponent(email)}`);
    await expect(page.getByTestId("outbox-attachments")).toContainText(`請求書_${ref}.pdf`);
    await page.getByRole("link", { name: mailed!.subject }).click();
    const attachment = page.getByTestId("mail-attachments").getByRole("link", { name: `請求書_${ref}.pdf（PDF を開く）` });
    await expect(attachment).toHaveAttribute("href", `/console/atobarai/orders/${shipped!.id}/invoice`);
    // The mail's own sandboxed preview frame is the mail, not the console (as in console-outbox.spec.ts).
    await expectAccessible(page, { exclude: ["iframe[sandbox]"] });

    // The list finds it by the search box.
    await page.goto(`/console/atobarai?q=${ref}`);
    await expect(page.getByRole("link", { name: ref })).toBeVisible();
    await expectAccessible(page);
  });

  test("decides an order on hold in the review queue", async ({ page, server }) => {
    const ref = `HOLD-${tag()}`;
    const order = await registerAtobaraiOrder(await server.as("operator"), {
      orderRef: ref,
      buyer: { name: "保留 花子", kana: "ホリュウ ハナコ", email: `${ref.toLowerCase()}@example.jp`, phone: "080-1111-2222", postalCode: "1000001", address: "東京都千代田区千代田" },
      items: [{ name: "抹茶", quantity: 1, unitPrice: 3_000 }],
    });
    await screen(server, order.id);
    await page.goto("/console/atobarai/review");
    const card = page.getByRole("listitem").filter({ hasText: ref });
    await expect(card).toContainText("住所に番地がありません。");
    await expectAccessible(page);
    await card.getByLabel("判断の理由（経過に残ります）").fill("電話で番地を確認しました");
    await card.getByRole("button", { name: "承認する（与信OK）" }).click();
    await expect(page.getByText("判断を記録しました。")).toBeVisible();
    await expect.poll(async () => (await orderByRef(server, ref))?.status).toBe("approved");
  });

  test("uploads a CSV: a bad row writes nothing and is listed; the good rows only, when chosen", async ({ page, server }) => {
    const a = `CSV-${tag()}`;
    const b = `CSV-${tag()}`;
    const csv = ["注文番号,購入者名,購入者名カナ,メールアドレス,電話番号,郵便番号,住所,商品名,数量,単価", `${a},一括 一郎,イッカツ イチロウ,${a.toLowerCase()}@example.jp,0311112222,1000001,東京都千代田区千代田3-1,玉露,1,2000`, `${b},一括 二郎,イッカツ ジロウ,${b.toLowerCase()}@example.jp,0311113333,12-34,東京都千代田区千代田3-2,玉露,1,2000`].join("\n");
    await page.goto("/console/atobarai/upload");
    await expectAccessible(page);
    const form = page.getByRole("form", { name: "注文の一括登録" });
    await form.getByLabel("CSV ファイル").setInputFiles({ name: "orders.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await form.getByRole("button", { name: "読み込む" }).click();
    await expect(form.getByText("1 行に誤りがあるため、何も登録しませんでした。")).toBeVisible();
    await expect(form.getByRole("table", { name: "誤りのある行" })).toContainText("3");
    expect(await orderByRef(server, a)).toBeUndefined();
    await expectAccessible(page);

    await form.getByLabel("誤りのある行を除き、正しい行だけ登録する").check();
    await form.getByRole("button", { name: "読み込む" }).click();
    await expect(form.getByText("1 件を登録しました（誤り 1 行）。")).toBeVisible();
    expect(await orderByRef(server, a)).toMatchObject({ source: "csv" });
    expect(await orderByRef(server, b)).toBeUndefined();
  });
});

test.describe("a viewer", () => {
  test.use({ signedInAs: "viewer" });

  test("reads orders and settings but is offered nothing to change", async ({ page, server }) => {
    const ref = `VIEW-${tag()}`;
    const order = await registerAtobaraiOrder(await server.as("operator"), {
      orderRef: ref,
      buyer: { name: "閲覧 三郎", kana: "エツラン サブロウ", email: `${ref.toLowerCase()}@example.jp`, phone: "080-3333-4444", postalCode: "1000001", address: "東京都千代田区千代田4-4" },
      items: [{ name: "番茶", quantity: 1, unitPrice: 900 }],
    });
    await screen(server, order.id);
    await page.goto(`/console/atobarai/orders/${order.id}`);
    await expect(page.getByText("与信結果：OK")).toBeVisible();
    await expect(page.getByLabel("送り状番号")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "注文を取り消す" })).toHaveCount(0);
    await expectAccessible(page);
    await page.goto("/console/atobarai/upload");
    await expect(page.getByText("閲覧のみの権限では登録できません。")).toBeVisible();
    await expect(page.getByRole("button", { name: "読み込む" }).first()).toBeDisabled();
    await page.goto("/console/atobarai/settings");
    await expect(page.getByLabel("支払期限（請求書発行から何日）")).toBeDisabled();
    await expectAccessible(page);
  });
});

test.describe("an owner", () => {
  test.use({ signedInAs: "owner" });

  test("changes the settings: a new close waits for the current period", async ({ page, server }) => {
    await page.goto("/console/atobarai/settings");
    await expectAccessible(page);
    await page.getByLabel("支払期限（請求書発行から何日）").fill("10");
    await page.getByLabel("締め", { exact: true }).selectOption("weekly");
    await page.getByLabel("締めの曜日").selectOption("5");
    await page.getByRole("button", { name: "保存する" }).click();
    await expect(page.getByText("後払い設定を保存しました。")).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: "締めの変更（週締め）は" })).toBeVisible();
    await expectAccessible(page);
    // Put back: the demo merchant is shared.
    await updateAtobaraiSettings(await server.as("owner"), { dueDays: 14, settlementCycle: { kind: "monthly" } });
  });
});
