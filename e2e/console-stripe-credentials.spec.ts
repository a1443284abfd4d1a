import { eq } from "drizzle-orm";
import { stripeCredentials } from "@/db/schema";
import { expect, expectAccessible, test } from "./support/fixtures";

/**
 * 請求設定 › Stripe のアカウント: an owner sets the merchant's Stripe keys in a dialog, sees each as set by its last
 * 4 (never the key: the page's HTML does not contain it, the table holds it sealed), has a wrongly shaped key refused
 * beside the field, and removes a key after confirming. A viewer sees the section with every button disabled and the
 * reason. The demo merchant is shared by every spec: the test removes what it set, whatever happens.
 */

const SECRET = "sk_test_51E2eStandInKey0000wxyz";
const WEBHOOK = "whsec_E2eSigningSecret1234";

test.describe("an owner", () => {
  test("sets the Stripe keys, sees them as set by their last 4, and removes them", async ({ page, server }) => {
    test.slow();
    try {
      await page.goto("/console/settings/billing");
      const section = page.getByTestId("stripe-credentials");
      await expect(section.getByRole("heading", { name: "Stripe のアカウント" })).toBeVisible();
      const secretRow = section.getByTestId("stripe-secretKey");
      const webhookRow = section.getByTestId("stripe-webhookSecret");
      await expect(secretRow).toContainText("未設定");
      await expect(webhookRow).toContainText("未設定");
      await expectAccessible(page);

      // A publishable key where the secret key goes is refused beside the field; nothing is saved.
      await secretRow.getByRole("button", { name: "設定する" }).click();
      let dialog = page.getByRole("dialog", { name: "シークレットキーを設定" });
      await dialog.getByLabel("値").fill("pk_test_notASecretKey12345");
      await dialog.getByRole("button", { name: "保存する" }).click();
      await expect(dialog.getByText("シークレットキーの形式ではありません（sk_live_… / sk_test_… / rk_…）")).toBeVisible();
      await expect(dialog.getByLabel("値")).toHaveAttribute("aria-invalid", "true");
      await expectAccessible(page);

      await dialog.getByLabel("値").fill(SECRET);
      await dialog.getByRole("button", { name: "保存する" }).click();
      await expect(page.getByText("シークレットキーを保存しました")).toBeVisible();
      await expect(dialog).toHaveCount(0);
      await expect(secretRow).toContainText("設定済み（末尾 wxyz）");

      await webhookRow.getByRole("button", { name: "設定する" }).click();
      dialog = page.getByRole("dialog", { name: "Webhook 署名シークレットを設定" });
      await dialog.getByLabel("値").fill(WEBHOOK);
      await dialog.getByLabel("値").press("Enter");
      await expect(page.getByText("Webhook 署名シークレットを保存しました")).toBeVisible();
      await expect(webhookRow).toContainText("設定済み（末尾 1234）");

      // What was entered is never sent back: not in the page, not in the table.
      await page.reload();
      await expect(secretRow).toContainText("設定済み（末尾 wxyz）");
      expect(await page.content()).not.toContain("E2eStandInKey");
      const [row] = await server.database.db.select().from(stripeCredentials).where(eq(stripeCredentials.merchantId, server.merchantId));
      expect(JSON.stringify(row)).not.toContain("E2eStandInKey");
      expect(row!.secretKey).toMatch(/^kz1\./);
      await expectAccessible(page);

      await webhookRow.getByRole("button", { name: "削除する" }).click();
      const confirm = page.getByRole("dialog", { name: "Webhook 署名シークレットを削除しますか？" });
      await expect(confirm).toContainText("復元できません");
      await expectAccessible(page);
      await confirm.getByRole("button", { name: "削除する" }).click();
      await expect(page.getByText("Webhook 署名シークレットを削除しました")).toBeVisible();
      await expect(webhookRow).toContainText("未設定");
      await expect(webhookRow.getByRole("button", { name: "削除する" })).toHaveCount(0);

      await secretRow.getByRole("button", { name: "削除する" }).click();
      const confirmSecret = page.getByRole("dialog", { name: "シークレットキーを削除しますか？" });
      await expect(confirmSecret).toContainText("サンドボックス");
      await confirmSecret.getByRole("button", { name: "削除する" }).click();
      await expect(page.getByText("シークレットキーを削除しました")).toBeVisible();
      await expect(secretRow).toContainText("未設定");
    } finally {
      // Other specs add cards for the demo merchant: they must find it on the sandbox.
      await server.database.db.delete(stripeCredentials).where(eq(stripeCredentials.merchantId, server.merchantId));
    }
  });
});

test.describe("a viewer", () => {
  test.use({ signedInAs: "viewer" });

  test("sees whether each key is set, with every button disabled and the reason given", async ({ page }) => {
    await page.goto("/console/settings/billing");
    const section = page.getByTestId("stripe-credentials");
    await expect(section.getByTestId("stripe-secretKey")).toContainText("未設定");
    await expect(section.getByRole("button", { name: "設定する" })).toHaveCount(3);
    for (const button of await section.getByRole("button", { name: "設定する" }).all()) await expect(button).toBeDisabled();
    await expectAccessible(page);
  });
});
