import { randomUUID } from "node:crypto";
import type { CDPSession, Page } from "@playwright/test";
import { and, eq, like } from "drizzle-orm";
import { mails, merchants, products, staffUsers } from "@/db/schema";
import { SANDBOX_TEST_CARDS } from "@/lib/gateways/sandbox-cards";
import { addPaymentMethod } from "@/lib/services/add-payment-method";
import type { ServiceContext } from "@/lib/services/context";
import { createCustomer } from "@/lib/services/create-customer";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { createSubscription } from "@/lib/services/create-subscription";
import { updateMailSettings } from "@/lib/services/update-mail-settings";
import { type ServerData, expect, expectAccessible, test } from "./support/fixtures";
import { inbox } from "./support/inbox";
import { staffLogin } from "./support/server-data";

/**
 * メール設定 (/console/settings/mail): a mail's wording edited (Japanese typed through the IME), refused with the
 * variable named, saved, previewed with a real contract and test-sent; a product's own switch, which the contract's
 * page then shows as "not sent"; what a viewer may do. Merchant-level edits are put back after each test, since the
 * demo merchant is shared.
 */

/** Chromium's IME as the test drives it: a composition shown in the field, then the converted text committed. */
async function imeType(cdp: CDPSession, reading: string, converted: string) {
  for (let i = 1; i <= reading.length; i++) await cdp.send("Input.imeSetComposition", { text: reading.slice(0, i), selectionStart: i, selectionEnd: i });
  await cdp.send("Input.imeSetComposition", { text: converted, selectionStart: converted.length, selectionEnd: converted.length });
  await cdp.send("Input.insertText", { text: converted });
}

/** A product of its own with a plan, a customer with a card, and (optionally) a contract. */
async function seedProduct(ctx: ServiceContext, server: ServerData, tag: string) {
  const product = await createProduct(ctx, { name: `メール設定テスト ${tag}` });
  const plan = await createPlan(ctx, { productId: product.id, name: `月謝 ${tag}`, amount: 4200, interval: "month" });
  const signUp = async (name: string) => {
    const customer = await createCustomer(ctx, { name, email: `mail-${randomUUID().slice(0, 8)}@example.jp` });
    const token = await server.platform.gateways.primary.testControls!.createToken({ number: SANDBOX_TEST_CARDS.succeed, expMonth: 12, expYear: 2035, cvc: "123" }, new Date());
    await addPaymentMethod(ctx, { customerId: customer.id, token: token.id });
    return (await createSubscription(ctx, { customerId: customer.id, planId: plan.id })).id;
  };
  return { product, plan, signUp };
}

/**
 * axe on the console's own markup. The mail's HTML is in a frame sandboxed without scripts, where axe cannot run
 * (it waits on the frame until the test times out); that HTML is the mail templates' to make accessible.
 */
const accessible = (page: Page) => expectAccessible(page, { exclude: ["iframe[sandbox]"] });

const body = (page: Page) => page.getByRole("textbox", { name: "本文" });
const subject = (page: Page) => page.getByRole("textbox", { name: "件名" });

test.describe("an owner editing mails", () => {
  test("types the wording in Japanese, is refused with the variable named, saves, previews with a contract and test-sends", async ({ page, server }) => {
    test.setTimeout(60_000);
    const ctx = await server.as("owner");
    const tag = randomUUID().slice(0, 8);
    const seeded = await seedProduct(ctx, server, tag);
    const customerName = `設定 花子 ${tag}`;
    const subscriptionId = await seeded.signUp(customerName);
    try {
      await page.goto("/console/settings/mail?event=plan_changed");
      await expect(page.getByRole("heading", { name: "メール設定", level: 1 })).toBeVisible();
      await expect(page.getByRole("heading", { name: "「プラン変更のお知らせ」の設定" })).toBeVisible();
      await expect(page.getByTestId("variables")).toContainText("%%plan%%");
      await expect(page.getByTestId("variables")).not.toContainText("%%receipt_url%%");
      await accessible(page);

      // Japanese through the IME, then a variable inserted at the cursor by a click.
      await body(page).click();
      const cdp = await page.context().newCDPSession(page);
      await imeType(cdp, "ぷらんを", "プランを");
      await page.getByRole("button", { name: "%%plan%% を挿入" }).click();
      await imeType(cdp, "にへんこうしました", "に変更しました。");
      await expect(body(page)).toHaveValue("プランを%%plan%%に変更しました。");
      // A misspelt variable, one this mail does not carry, and an empty subject: refused, each named, nothing saved.
      await body(page).press("End");
      await body(page).pressSequentially(" %%nmae%% %%receipt_url%%");
      await subject(page).fill("");
      await page.getByRole("button", { name: "保存", exact: true }).first().click();
      await expect(page.getByTestId("problems-subject")).toHaveText("件名を入力してください。");
      await expect(page.getByTestId("problems-body")).toContainText("本文の「%%nmae%%」という差し込み項目はありません。");
      await expect(page.getByTestId("problems-body")).toContainText("「%%receipt_url%%」はこのメールでは使えません（本文）。");
      await expect(subject(page)).toHaveAttribute("aria-invalid", "true");
      await accessible(page);
      const merchantRow = async () => (await server.database.db.select().from(merchants).where(eq(merchants.id, server.merchantId)))[0]!;
      expect((await merchantRow()).mailSettings.plan_changed).toBeUndefined();

      await body(page).fill("");
      await body(page).click();
      await imeType(cdp, "ぷらんを", "プランを");
      await page.getByRole("button", { name: "%%plan%% を挿入" }).click();
      await imeType(cdp, "にへんこうしました", "に変更しました。");
      await subject(page).fill("%%name%%様：プラン変更のご案内");
      await page.getByRole("button", { name: "保存", exact: true }).first().click();
      await expect(page.getByText("「プラン変更のお知らせ」の設定を保存しました。")).toBeVisible();
      await expect(page.getByTestId("problems-body")).toHaveCount(0);
      expect((await merchantRow()).mailSettings.plan_changed).toEqual({ enabled: true, subject: "%%name%%様：プラン変更のご案内", body: "プランを%%plan%%に変更しました。" });

      // The preview renders unsaved text with the chosen contract's values.
      await body(page).fill("%%name%%様 未保存の文面 %%plan%%");
      await page.getByLabel("差し込みに使う契約").selectOption(subscriptionId);
      const preview = page.getByTestId("mail-preview");
      await expect(preview.getByTestId("preview-text")).toContainText(`${customerName}様 未保存の文面 月謝 ${tag}`);
      await expect(preview.getByTestId("preview-subject")).toHaveText(`${customerName}様：プラン変更のご案内`);
      await expect(preview.getByTestId("preview-html")).toHaveAttribute("sandbox", "");
      await expect(page.frameLocator("[data-testid=preview-html]").getByText(`${customerName}様 未保存の文面`)).toBeVisible();
      await accessible(page);

      // Test send: queued to the signed-in owner, rendered now, and shown in the outbox.
      await page.getByRole("button", { name: "テスト送信" }).click();
      const ownerEmail = staffLogin("owner").email;
      await expect(page.getByText(`${ownerEmail} 宛てのテストメールを送信待ちにしました。送信履歴で確認できます。`)).toBeVisible();
      const [ownerRow] = await server.database.db.select().from(staffUsers).where(eq(staffUsers.email, ownerEmail));
      const [sent] = await server.database.db
        .select()
        .from(mails)
        .where(and(eq(mails.merchantId, server.merchantId), eq(mails.toAddress, ownerRow!.email), like(mails.textBody, `%${customerName}様 未保存の文面%`)));
      expect(sent).toMatchObject({ customerId: null, subscriptionId: null, subject: `${customerName}様：プラン変更のご案内` });
      // Delivered by the server's worker, as stored: it reaches the owner's inbox (the Resend stand-in).
      await expect.poll(async () => (await inbox(ownerEmail)).filter((m) => m.text.includes(`${customerName}様 未保存の文面`)).length, { timeout: 15_000 }).toBe(1);
      expect(sent!.idempotencyKey).toMatch(/^test_send:/);
      expect(sent!.renderedAt).not.toBeNull();
      await page.goto(`/console/mails/${sent!.id}`);
      await expect(page.getByRole("heading", { level: 1, name: `${customerName}様：プラン変更のご案内` })).toBeVisible();
      await expect(page.getByText("メール設定からのテスト送信です。")).toBeVisible();
    } finally {
      await updateMailSettings(ctx, { kind: "template", template: "plan_changed", override: null });
    }
  });

  test("switches a mail off for one product; a contract of it then shows that mail as not sent", async ({ page, server }) => {
    const ctx = await server.as("owner");
    const tag = randomUUID().slice(0, 8);
    const seeded = await seedProduct(ctx, server, tag);
    await page.goto("/console/settings/mail?event=welcome");
    await page.getByLabel("設定の対象").selectOption(seeded.product.id);
    await expect(page).toHaveURL(new RegExp(`[?&]product=${seeded.product.id}`));
    await expect(page.getByTestId("inherit-note")).toHaveText("ショップの標準設定（送信する）が使われます。");
    await expect(page.getByRole("checkbox", { name: "このメールを送信する" })).toBeDisabled();
    await page.getByLabel("この商品独自の設定にする").check();
    await page.getByRole("checkbox", { name: "このメールを送信する" }).click();
    await page.getByRole("button", { name: "保存", exact: true }).first().click();
    await expect(page.getByText("「お申し込み完了」の設定を保存しました。")).toBeVisible();
    await expect(page.getByTestId("mail-entry-welcome")).toContainText("送信しない");
    await expect(page.getByTestId("mail-entry-welcome")).toContainText("商品独自");
    await accessible(page);
    const [row] = await server.database.db.select().from(products).where(eq(products.id, seeded.product.id));
    expect(row!.mailSettings.welcome).toEqual({ enabled: false });
    // The merchant's own setting is unchanged.
    const [merchant] = await server.database.db.select().from(merchants).where(eq(merchants.id, server.merchantId));
    expect(merchant!.mailSettings.welcome?.enabled).not.toBe(false);

    const subscriptionId = await seeded.signUp(`停止 太郎 ${tag}`);
    const [welcome] = await server.database.db.select().from(mails).where(and(eq(mails.subscriptionId, subscriptionId), eq(mails.template, "welcome")));
    expect(welcome).toMatchObject({ status: "skipped", statusReason: "disabled_for_product" });
    await page.goto(`/console/subscriptions/${subscriptionId}`);
    await expect(page.getByTestId("mails").getByRole("row").filter({ hasText: "お申し込み完了" })).toContainText("送信しない設定");

    // And back to the shop's setting.
    await page.goto(`/console/settings/mail?event=welcome&product=${seeded.product.id}`);
    await page.getByLabel("ショップの標準設定を使う").check();
    await page.getByRole("button", { name: "保存", exact: true }).first().click();
    await expect(page.getByText("「お申し込み完了」の設定を保存しました。")).toBeVisible();
    const [after] = await server.database.db.select().from(products).where(eq(products.id, seeded.product.id));
    expect(after!.mailSettings).toEqual({});
  });

  test("saves the sender name, reply-to and footer, and refuses a reply-to that is not an address", async ({ page, server }) => {
    const ctx = await server.as("owner");
    const [before] = await server.database.db.select().from(merchants).where(eq(merchants.id, server.merchantId));
    try {
      await page.goto("/console/settings/mail");
      await page.getByLabel("返信先メールアドレス").fill("not-an-address");
      await page.getByRole("button", { name: "保存", exact: true }).last().click();
      await expect(page.getByText("入力内容をご確認ください。")).toBeVisible();
      await expect(page.getByLabel("返信先メールアドレス")).toHaveAttribute("aria-invalid", "true");
      await page.getByLabel("差出人名").fill("デモ商店 サポート");
      await page.getByLabel("返信先メールアドレス").fill("support@demo.example.jp");
      await page.getByLabel("フッター（%%footer%%）").fill("デモ商店 お客様窓口");
      await page.getByRole("button", { name: "保存", exact: true }).last().click();
      await expect(page.getByText("差出人とフッターを保存しました。")).toBeVisible();
      const [saved] = await server.database.db.select().from(merchants).where(eq(merchants.id, server.merchantId));
      expect([saved!.senderName, saved!.mailReplyTo, saved!.mailFooter]).toEqual(["デモ商店 サポート", "support@demo.example.jp", "デモ商店 お客様窓口"]);
    } finally {
      await updateMailSettings(ctx, { kind: "sender", senderName: before!.senderName, replyTo: before!.mailReplyTo ?? "", footer: before!.mailFooter });
    }
  });
});

test.describe("a viewer on the mail settings", () => {
  test.use({ signedInAs: "viewer" });

  test("reads and previews; save and test send are disabled with the reason", async ({ page }) => {
    await page.goto("/console/settings/mail?event=charge_failed");
    await expect(page.getByText("メール設定を変更できるのはオーナーと管理者です。").first()).toBeVisible();
    await expect(subject(page)).toBeDisabled();
    await expect(page.getByRole("button", { name: "保存", exact: true }).first()).toBeDisabled();
    await expect(page.getByRole("button", { name: "テスト送信" })).toBeDisabled();
    await expect(page.getByTestId("preview-subject")).toContainText("お支払いができませんでした");
    await expect(page.getByTestId("preview-text")).toBeVisible();
    await accessible(page);
  });
});

test.describe("an operator on the mail settings", () => {
  test.use({ signedInAs: "operator" });

  test("may read and preview but not change the settings", async ({ page }) => {
    await page.goto("/console/settings/mail?event=refund");
    await expect(page.getByRole("heading", { name: "「返金のお知らせ」の設定" })).toBeVisible();
    await expect(page.getByRole("button", { name: "保存", exact: true }).last()).toBeDisabled();
    await expect(page.getByLabel("差出人名")).toBeDisabled();
    await expect(page.getByTestId("preview-subject")).toContainText("返金いたしました");
    await accessible(page);
  });
});
