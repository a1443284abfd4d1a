import { eq } from "drizzle-orm";
import { apiKeys } from "@/db/schema";
import { createApiKey } from "@/lib/services/api-keys";
import { expect, expectAccessible, test } from "./support/fixtures";

/**
 * API キー (/console/settings/api-keys): an owner creates a key (its secret shown once, copied, and working against the
 * REST API), then revokes it after a confirmation (the API refuses it from then on); a viewer reads but cannot act.
 */

test.describe("an owner", () => {
  test("creates a key shown once, uses it, and revokes it after a confirmation", async ({ page, context, baseURL, server }) => {
    test.setTimeout(90_000);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
    const name = `連携 ${Date.now()}`;
    await page.goto("/console/settings/api-keys");
    await expect(page.getByRole("link", { name: "API キー" })).toHaveAttribute("aria-current", "page");
    await page.getByRole("button", { name: "API キーを作成" }).click();
    const dialog = page.getByRole("dialog", { name: "API キーを作成" });
    await dialog.getByRole("button", { name: "作成する" }).click();
    await expect(dialog.getByText("名前を入力してください。")).toBeVisible();
    await dialog.getByLabel("名前").fill(name);
    await expectAccessible(page);
    await dialog.getByRole("button", { name: "作成する" }).click();

    const shown = page.getByRole("dialog", { name: "API キーを作成しました" });
    await expect(shown).toContainText("このキーが表示されるのは今回だけです");
    const secret = await shown.getByLabel("秘密鍵").inputValue();
    expect(secret).toMatch(/^sk_[0-9A-Za-z]{32}$/);
    await expectAccessible(page);
    await shown.getByRole("button", { name: "コピー" }).click();
    await expect(page.getByText("キーをコピーしました")).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await shown.getByRole("button", { name: "閉じる" }).first().click();
    await expect(shown).toBeHidden();

    const [key] = await server.database.db.select().from(apiKeys).where(eq(apiKeys.name, name));
    const row = page.getByTestId(`api-key-${key!.id}`);
    await expect(row).toContainText(name);
    await expect(row).toContainText(`${secret.slice(0, 12)}…`);
    await expect(row).toContainText("未使用");
    // The secret is never on the page again.
    await expect(page.locator("body")).not.toContainText(secret);

    const api = (key: string) => page.request.get("/api/v1/customers", { headers: { authorization: `Bearer ${key}` } });
    expect((await api(secret)).status()).toBe(200);
    await page.reload();
    await expect(row).not.toContainText("未使用");

    await row.getByRole("button", { name: `${name} を無効化` }).click();
    const confirm = page.getByRole("dialog", { name: "この API キーを無効化しますか？" });
    await expect(confirm).toContainText("取り消せません");
    await confirm.getByRole("button", { name: "無効化する" }).click();
    await expect(page.getByText(`「${name}」を無効化しました`)).toBeVisible();
    await expect(row).toContainText("無効化済み");
    await expect(row.getByRole("button", { name: /無効化/ })).toHaveCount(0);
    expect((await api(secret)).status()).toBe(401);
    await expectAccessible(page);
  });
});

test.describe("a viewer", () => {
  test.use({ signedInAs: "viewer" });

  test("sees the keys, with create and revoke disabled and the reason given", async ({ page, server }) => {
    const key = await createApiKey(await server.as("owner"), { name: `閲覧用 ${Date.now()}` });
    await page.goto("/console/settings/api-keys");
    const row = page.getByTestId(`api-key-${key.id}`);
    await expect(row).toContainText(key.displayPrefix);
    await expect(page.getByRole("button", { name: "API キーを作成" })).toBeDisabled();
    await expect(row.getByRole("button", { name: "無効化" })).toBeDisabled();
    await expect(page.getByLabel("API キーの作成と無効化は、オーナーと管理者のみ行えます。").first()).toBeVisible();
    await expectAccessible(page);
  });
});
