import { readFile } from "node:fs/promises";
import { eq } from "drizzle-orm";
import { staffUsers } from "@/db/schema";
import { createApiKey, revokeApiKey } from "@/lib/services/api-keys";
import { expect, expectAccessible, test } from "./support/fixtures";

/**
 * 操作履歴 (/console/audit): an owner finds what an admin did (by target, then by person and action, kept in the URL),
 * reads it in Japanese and downloads the filtered rows as CSV; a viewer is told the log is for owners and admins.
 */

test.describe("an owner", () => {
  test("filters the log by target, person and action, and exports what matches", async ({ page, server }) => {
    test.setTimeout(90_000);
    const admin = await server.as("admin");
    const key = await createApiKey(admin, { name: `監査用 ${Date.now()}` });
    await revokeApiKey(admin, { apiKeyId: key.id });
    const [adminRow] = await server.database.db.select().from(staffUsers).where(eq(staffUsers.id, admin.actor.id!));

    await page.goto("/console/audit");
    await expect(page.getByRole("link", { name: "操作履歴" })).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("heading", { name: "操作履歴" })).toBeVisible();
    await expectAccessible(page);

    await page.getByLabel("対象の ID（契約 ID など）").fill(key.id);
    await page.getByRole("button", { name: "絞り込む" }).click();
    await expect(page).toHaveURL(new RegExp(`target=${key.id}`));
    const rows = page.getByRole("table", { name: "操作履歴" }).getByRole("row");
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(1)).toContainText("API キーを無効化");
    await expect(rows.nth(2)).toContainText("API キーを作成");
    await expect(rows.nth(2)).toContainText(adminRow!.name);
    await expect(rows.nth(2)).toContainText("メンバー");

    await page.getByLabel("担当者").selectOption({ label: adminRow!.name });
    await page.getByLabel("操作", { exact: true }).selectOption({ label: "API キーを作成" });
    await page.getByRole("button", { name: "絞り込む" }).click();
    await expect(page).toHaveURL(/action=api_key\.created/);
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(1)).toContainText("API キーを作成");
    await expectAccessible(page);

    // The filters survive a reload (they are the URL).
    await page.reload();
    await expect(page.getByLabel("操作", { exact: true })).toHaveValue("api_key.created");
    await expect(rows).toHaveCount(2);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("audit-export-utf8").click()]);
    expect(download.suggestedFilename()).toMatch(/^操作履歴_\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = (await readFile((await download.path())!, "utf8")).replace(/^\uFEFF/, "").split("\r\n");
    expect(csv[0]).toBe("日時,担当者の種類,担当者,担当者 ID,操作,操作コード,対象の種類,対象 ID,詳細");
    expect(csv.filter(Boolean)).toHaveLength(2);
    expect(csv[1]).toContain(`メンバー,${adminRow!.name},${adminRow!.id},API キーを作成,api_key.created,api_key,${key.id}`);

    await page.getByRole("button", { name: "条件をクリア" }).click();
    await expect(page).not.toHaveURL(/target=/);
  });

  test("says so when nothing matches, and when a filter is not valid", async ({ page }) => {
    await page.goto("/console/audit?target=sub_nothing_here");
    await expect(page.getByText("条件に合う操作はありません。")).toBeVisible();
    await page.goto("/console/audit?actor=nobody");
    // Next.js keeps a route announcer (role alert) on the page too: the page's own alert is the one with the message.
    await expect(page.getByRole("alert").filter({ hasText: "条件に誤りがあります" })).toBeVisible();
  });
});

test.describe("a viewer", () => {
  test.use({ signedInAs: "viewer" });

  test("is told the log is for owners and admins, and cannot download it", async ({ page }) => {
    await page.goto("/console/audit");
    await expect(page.getByText("操作履歴を見られるのはオーナーと管理者のみです。")).toBeVisible();
    await expect(page.getByRole("table")).toHaveCount(0);
    await expect(page.getByTestId("audit-export-utf8")).toHaveCount(0);
    expect((await page.request.get("/console/audit/export?encoding=utf8")).status()).toBe(403);
    await expectAccessible(page);
  });
});
