import { eq } from "drizzle-orm";
import { atobaraiAccounts, merchants } from "@/db/schema";
import { DEFAULT_ATOBARAI_SETTINGS } from "@/lib/billing/atobarai/settings";
import { fallbackInvoiceOf } from "@/lib/billing/billing-settings";
import { updateBillingSettings } from "@/lib/services/update-billing-settings";
import { expect, expectAccessible, test, type ServerData } from "./support/fixtures";

/**
 * 請求設定 (/console/settings/billing): an owner edits the retry schedule and dunning timeline, watching the timeline
 * follow, previews how many contracts would be re-planned with one example, saves, and finds it after a reload; a
 * the overdue invoice sent as a konbini / bank invoice by itself is offered only while 後払い is on; a
 * registration number with a wrong check digit is refused beside the field; the mypage policy and the time zone are
 * saved; a viewer reads with every save disabled and the reason given. The demo merchant is shared by every spec:
 * each test puts back what it changed (the billing settings through the service, so that contracts are re-planned back).
 */

async function savedMerchant(server: ServerData) {
  const [merchant] = await server.database.db.select().from(merchants).where(eq(merchants.id, server.merchantId));
  return merchant!;
}

test.describe("an owner", () => {
  test("edits the retry schedule and dunning timeline, previews the contracts re-planned, saves, and sees it after a reload", async ({ page, server }) => {
    test.slow();
    const before = await savedMerchant(server);
    try {
      await page.goto("/console/settings/billing");
      await expect(page.getByRole("link", { name: "請求設定" })).toHaveAttribute("aria-current", "page");
      await expect(page.getByRole("heading", { name: "請求設定", level: 1 })).toBeVisible();
      const timeline = page.getByTestId("collection-timeline");
      await expect(timeline.getByRole("listitem")).toHaveText([
        "0日目有効期限・継続課金（失敗）",
        "7日目1回目の再決済",
        "14日目2回目の再決済",
        "14日目督促メール：未払いのお知らせ（1日後の設定。最後の再決済の後に送信）",
        "60日目督促メール：最終のお知らせ",
        "67日目督促メール：退会のお知らせ",
        "67日目退会（最後の督促メールから1時間後）",
      ]);
      await expect(page.getByRole("button", { name: "変更内容を確認" })).toBeDisabled();
      await expectAccessible(page);

      await page.getByRole("radio", { name: "毎週3回（7・14・21日後）" }).check();
      await expect(timeline).toContainText("21日目3回目の再決済");
      // A notice's day that is not a number is named beside the field, and nothing can be reviewed until it is right.
      const finalDay = page.getByLabel("督促メール 2 を送る日（有効期限から何日後）");
      await finalDay.fill("abc");
      await expect(page.getByText("0〜3650の整数で入力してください。")).toBeVisible();
      await expect(finalDay).toHaveAttribute("aria-invalid", "true");
      await expect(page.getByRole("button", { name: "変更内容を確認" })).toBeDisabled();
      await expect(timeline).toContainText("入力に誤りがあるため");
      // Full-width digits, as an IME types them, are read as digits.
      await finalDay.fill("４５");
      await finalDay.blur();
      await expect(timeline).toContainText("45日目督促メール：最終のお知らせ");
      // A fourth notice, added and then removed again.
      await page.getByRole("button", { name: "督促メールを追加" }).click();
      await expect(page.getByTestId("dunning-notice")).toHaveCount(4);
      await expect(timeline).toContainText("74日目督促メール：未払いのお知らせ");
      await page.getByRole("button", { name: "督促メール 4 を削除" }).click();
      await expect(page.getByTestId("dunning-notice")).toHaveCount(3);
      await expectAccessible(page);

      await page.getByRole("button", { name: "変更内容を確認" }).click();
      const dialog = page.getByRole("dialog", { name: "請求設定の変更を確認" });
      // The demo merchant has past-due and unpaid contracts: their retries and notices are planned again.
      await expect(dialog).toContainText(/\d+件の契約の予定が変わります。/);
      const example = dialog.getByRole("link", { name: /^契約 sub_/ });
      await expect(example).toHaveAttribute("href", /^\/console\/subscriptions\/sub_/);
      // Its steps after the change, dated in the merchant's time zone.
      await expect(dialog.getByTestId("preview-after")).toContainText(/\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
      await expectAccessible(page);
      await dialog.getByRole("button", { name: "保存する" }).click();
      await expect(page.getByText("再決済と督促の設定を保存しました")).toBeVisible();
      expect((await savedMerchant(server)).billingSettings).toMatchObject({
        retryScheduleDays: [7, 14, 21],
        dunning: { notices: [{ daysAfterPaidThrough: 1 }, { template: "final_notice", daysAfterPaidThrough: 45 }, { daysAfterPaidThrough: 67 }] },
        cardOnFileWindowDays: before.billingSettings.cardOnFileWindowDays,
      });

      await page.reload();
      await expect(page.getByRole("radio", { name: "毎週3回（7・14・21日後）" })).toBeChecked();
      await expect(page.getByLabel("督促メール 2 を送る日（有効期限から何日後）")).toHaveValue("45");
      await expect(page.getByTestId("collection-timeline")).toContainText("21日目3回目の再決済");
      await expect(page.getByRole("button", { name: "変更内容を確認" })).toBeDisabled();
    } finally {
      await updateBillingSettings(await server.as("owner"), before.billingSettings);
    }
  });

  test("the fallback invoice: disabled with the reason while 後払い is off; once on, turned on with its day, checked, drawn on the timeline and saved", async ({ page, server }) => {
    test.slow();
    const db = server.database.db;
    const before = await savedMerchant(server);
    const [account] = await db.select().from(atobaraiAccounts).where(eq(atobaraiAccounts.merchantId, server.merchantId));
    try {
      await db.delete(atobaraiAccounts).where(eq(atobaraiAccounts.merchantId, server.merchantId));
      await page.goto("/console/settings/billing");
      const fallback = page.getByRole("checkbox", { name: "決済エラーの請求をコンビニ・銀行払いの請求書で自動送付する" });
      await expect(fallback).toBeDisabled();
      await expect(fallback).toHaveAccessibleDescription("後払いが有効ではないため使えません。後払いの設定で有効にしてください。");
      await expect(page.getByLabel("請求書を送る日（有効期限から何日後）")).toHaveCount(0);
      await expectAccessible(page);

      await db.insert(atobaraiAccounts).values({ merchantId: server.merchantId, settings: DEFAULT_ATOBARAI_SETTINGS });
      await page.reload();
      await expect(fallback).toBeEnabled();
      await expect(fallback).not.toBeChecked();
      await fallback.click();
      const day = page.getByLabel("請求書を送る日（有効期限から何日後）");
      await expect(day).toHaveValue("14");
      const timeline = page.getByTestId("collection-timeline");
      await expect(timeline).toContainText("14日目コンビニ・銀行払いの請求書を送付");
      // A day that is not a number is named beside the field, in Japanese; nothing can be reviewed until it is right.
      await day.fill("abc");
      await expect(day).toHaveAttribute("aria-invalid", "true");
      await expect(page.getByTestId("fallback-invoice")).toContainText("0〜3650の整数で入力してください。");
      await expect(page.getByRole("button", { name: "変更内容を確認" })).toBeDisabled();
      // Set before the last retry, it waits for it; full-width digits are read as digits. Far ahead, so that no
      // contract of the shared demo merchant has it fall due while this runs.
      await day.fill("３");
      await expect(timeline).toContainText("14日目コンビニ・銀行払いの請求書を送付（3日後の設定。最後の再決済の後に送付）");
      await day.fill("３６５０");
      await expect(timeline).toContainText("3650日目コンビニ・銀行払いの請求書を送付");
      await expectAccessible(page);

      await page.getByRole("button", { name: "変更内容を確認" }).click();
      const dialog = page.getByRole("dialog", { name: "請求設定の変更を確認" });
      await expect(dialog).toContainText(/\d+件の契約の予定が変わります。/);
      await dialog.getByRole("button", { name: "保存する" }).click();
      await expect(page.getByText("再決済と督促の設定を保存しました")).toBeVisible();
      expect((await savedMerchant(server)).billingSettings.dunning.fallbackInvoice).toEqual({ enabled: true, daysAfterPaidThrough: 3650 });
      await page.reload();
      await expect(fallback).toBeChecked();
      await expect(page.getByLabel("請求書を送る日（有効期限から何日後）")).toHaveValue("3650");
    } finally {
      const dunning = { ...before.billingSettings.dunning, fallbackInvoice: fallbackInvoiceOf(before.billingSettings.dunning) };
      await updateBillingSettings(await server.as("owner"), { ...before.billingSettings, dunning });
      await db.delete(atobaraiAccounts).where(eq(atobaraiAccounts.merchantId, server.merchantId));
      if (account) await db.insert(atobaraiAccounts).values(account);
    }
  });

  test("a registration number with a wrong check digit is refused beside the field; a right one typed full-width is saved", async ({ page, server }) => {
    const before = await savedMerchant(server);
    try {
      await page.goto("/console/settings/billing");
      const section = page.getByRole("region", { name: "適格請求書発行事業者の登録番号" });
      const field = section.getByLabel("登録番号", { exact: true });
      await field.fill("T1234567890123");
      await section.getByRole("button", { name: "保存する" }).click();
      await expect(page.getByText("登録番号の検査用数字（T の次の1桁）が合いません。番号をご確認ください。")).toBeVisible();
      await expect(field).toHaveAttribute("aria-invalid", "true");
      expect((await savedMerchant(server)).invoiceRegistrationNumber).toBe(before.invoiceRegistrationNumber);
      await expectAccessible(page);

      await field.fill("ｔ７０００-０１２０-５０００２");
      await section.getByRole("button", { name: "保存する" }).click();
      await expect(page.getByText("登録番号を保存しました")).toBeVisible();
      await expect(field).toHaveValue("T7000012050002");
      expect((await savedMerchant(server)).invoiceRegistrationNumber).toBe("T7000012050002");
    } finally {
      await server.database.db.update(merchants).set({ invoiceRegistrationNumber: before.invoiceRegistrationNumber }).where(eq(merchants.id, server.merchantId));
    }
  });

  test("saves the mypage policy and changes the time zone after a confirmation", async ({ page, server }) => {
    const before = await savedMerchant(server);
    try {
      await page.goto("/console/settings/billing");
      const policy = page.getByRole("region", { name: "マイページでお客様ができること" });
      await policy.getByRole("radio", { name: /即時解約も可能/ }).check();
      await policy.getByRole("checkbox", { name: "一時停止を許可する" }).click();
      await policy.getByRole("button", { name: "保存する" }).click();
      await expect(page.getByText("マイページの設定を保存しました")).toBeVisible();
      expect((await savedMerchant(server)).mypagePolicy).toEqual({ cancel: "immediate_allowed", pause: !before.mypagePolicy.pause });

      const zone = page.getByRole("region", { name: "タイムゾーン" });
      await expect(zone.getByRole("button", { name: "変更する" })).toBeDisabled();
      await zone.getByLabel("タイムゾーン", { exact: true }).selectOption("Asia/Seoul");
      await zone.getByRole("button", { name: "変更する" }).click();
      const confirm = page.getByRole("dialog", { name: "タイムゾーンを Asia/Seoul に変更しますか？" });
      await expect(confirm).toContainText("すでに予定されている課金・再決済・督促メールの日時は変わりません。");
      await expectAccessible(page);
      await confirm.getByRole("button", { name: "変更する" }).click();
      await expect(page.getByText("タイムゾーンを Asia/Seoul に変更しました")).toBeVisible();
      expect((await savedMerchant(server)).timeZone).toBe("Asia/Seoul");
      await page.reload();
      await expect(page.getByRole("region", { name: "タイムゾーン" }).getByLabel("タイムゾーン", { exact: true })).toHaveValue("Asia/Seoul");
    } finally {
      await server.database.db.update(merchants).set({ mypagePolicy: before.mypagePolicy, timeZone: before.timeZone }).where(eq(merchants.id, server.merchantId));
    }
  });
});

test.describe("a viewer", () => {
  test.use({ signedInAs: "viewer" });

  test("reads the settings with every save disabled and the reason given", async ({ page }) => {
    await page.goto("/console/settings/billing");
    await expect(page.getByTestId("read-only-notice")).toHaveText("請求設定を変更できるのはオーナーと管理者のみです。");
    await expect(page.getByRole("button", { name: "変更内容を確認" })).toBeDisabled();
    for (const button of await page.getByRole("button", { name: "保存する" }).all()) await expect(button).toBeDisabled();
    await expect(page.getByLabel("登録番号", { exact: true })).toBeDisabled();
    await expect(page.getByRole("link", { name: "メール設定を開く" })).toHaveAttribute("href", "/console/settings/mail");
    await expectAccessible(page);
  });
});
