import { eq } from "drizzle-orm";
import { staffUsers } from "@/db/schema";
import { createStaffUser } from "@/lib/services/create-staff-user";
import { expect, expectAccessible, test } from "./support/fixtures";
import type { ServerData } from "./support/fixtures";

/**
 * メンバー (/console/settings/team): an owner changes a member's role and removes a member after a confirmation; the
 * demo owner, the merchant's only owner, cannot be removed or demoted; a viewer reads but cannot act. Members of the
 * test's own are made for each test (the demo logins are shared by every spec).
 */

async function seedMember(server: ServerData, name: string) {
  const email = `member-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.jp`;
  const { staffUserId } = await createStaffUser(await server.as("owner"), { email, name, password: "a-long-password", role: "operator" });
  return { id: staffUserId, email, name };
}

test.describe("an owner", () => {
  test("changes a member's role, removes a member after a confirmation, and cannot remove the last owner", async ({ page, server }) => {
    test.setTimeout(90_000);
    const member = await seedMember(server, `山田 ${Date.now()}`);
    await page.goto("/console/settings/team");
    await expect(page.getByRole("link", { name: "メンバー" })).toHaveAttribute("aria-current", "page");
    const row = page.getByTestId(`member-${member.id}`);
    await expect(row).toContainText(member.email);
    await expect(row).toContainText("オペレーター");
    await expectAccessible(page);

    await row.getByRole("button", { name: `${member.name} の権限を変更` }).click();
    const dialog = page.getByRole("dialog", { name: `${member.name} の権限を変更` });
    await dialog.getByLabel("権限").selectOption({ label: "閲覧のみ" });
    await expect(dialog).toContainText("閲覧のみで、変更はできません。");
    await expectAccessible(page);
    await dialog.getByRole("button", { name: "変更する" }).click();
    await expect(page.getByText(`${member.name} の権限を「閲覧のみ」にしました`)).toBeVisible();
    await expect(row).toContainText("閲覧のみ");
    const [stored] = await server.database.db.select().from(staffUsers).where(eq(staffUsers.id, member.id));
    expect(stored!.role).toBe("viewer");

    await row.getByRole("button", { name: `${member.name} を削除` }).click();
    const confirm = page.getByRole("dialog", { name: `${member.name} を削除しますか？` });
    await expect(confirm).toContainText("ログインできなくなります");
    await confirm.getByRole("button", { name: "削除する" }).click();
    await expect(page.getByText(`${member.name} を削除しました`)).toBeVisible();
    await expect(row).toHaveCount(0);
    expect(await server.database.db.select().from(staffUsers).where(eq(staffUsers.id, member.id))).toEqual([]);

    // The demo owner is the merchant's only owner: both buttons on their row are disabled, with the reason.
    const ownerId = (await server.as("owner")).actor.id!;
    const ownerRow = page.getByTestId(`member-${ownerId}`);
    await expect(ownerRow).toContainText("あなた");
    await expect(ownerRow.getByRole("button", { name: "削除" })).toBeDisabled();
    await expect(ownerRow.getByRole("button", { name: "権限を変更" })).toBeDisabled();
    await expect(ownerRow.getByLabel("最後のオーナーは削除も権限の変更もできません。先に別のメンバーをオーナーにしてください。").first()).toBeVisible();
    await expectAccessible(page);
  });
});

test.describe("a viewer", () => {
  test.use({ signedInAs: "viewer" });

  test("sees the members, with every action disabled and the reason given", async ({ page, server }) => {
    const member = await seedMember(server, `閲覧テスト ${Date.now()}`);
    await page.goto("/console/settings/team");
    const row = page.getByTestId(`member-${member.id}`);
    await expect(row).toContainText(member.name);
    await expect(row.getByRole("button", { name: "権限を変更" })).toBeDisabled();
    await expect(row.getByRole("button", { name: "削除" })).toBeDisabled();
    await expect(row.getByLabel("メンバーの招待・権限変更・削除は、オーナーと管理者のみ行えます。").first()).toBeVisible();
    await expectAccessible(page);
  });
});
