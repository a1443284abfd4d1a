import type { Page } from "@playwright/test";
import { and, eq } from "drizzle-orm";
import { staffInvitations, staffUsers } from "@/db/schema";
import { newId } from "@/lib/ids";
import { expect, expectAccessible, test, type ServerData } from "./support/fixtures";
import { inbox, linkIn } from "./support/inbox";

/**
 * メンバーを招待: an owner invites an address with a role from the team page; the mail arrives (through the Resend
 * stand-in) from the merchant; its link opens the public accept page, where the invitee sets a name and password and
 * is signed in as a member with that role. A revoked invitation's link says so and makes no login. (The services'
 * module graph reads the message files, which Playwright's loader cannot import: invitations are made in the page, or
 * written as rows where no mail is needed.)
 */

const unique = () => `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

async function inviteInPage(page: Page, server: ServerData, email: string, role: string) {
  await page.goto("/console/settings/team");
  await page.getByRole("button", { name: "メンバーを招待" }).click();
  const dialog = page.getByRole("dialog", { name: "メンバーを招待" });
  await dialog.getByLabel("メールアドレス").fill(email);
  await dialog.getByLabel("権限").selectOption({ label: role });
  await dialog.getByRole("button", { name: "招待メールを送る" }).click();
  await expect(page.getByText(`${email} に招待メールを送りました`)).toBeVisible();
  const [invitation] = await server.database.db.select().from(staffInvitations).where(and(eq(staffInvitations.merchantId, server.merchantId), eq(staffInvitations.email, email)));
  return invitation!.id;
}

test.describe("an owner", () => {
  test("invites by mail; the invitee sets a password from the link and signs in with the invited role", async ({ page, browser, server }) => {
    test.setTimeout(120_000);
    const email = `invitee-${unique()}@example.jp`;
    await page.goto("/console/settings/team");
    await expect(page.getByRole("heading", { name: "招待中" })).toBeVisible();
    await expectAccessible(page);

    await page.getByRole("button", { name: "メンバーを招待" }).click();
    const dialog = page.getByRole("dialog", { name: "メンバーを招待" });
    await dialog.getByLabel("メールアドレス").fill("not-an-address");
    await dialog.getByRole("button", { name: "招待メールを送る" }).click();
    await expect(dialog.getByText("メールアドレスの形式が正しくありません。")).toBeVisible();
    await dialog.getByLabel("メールアドレス").fill(email);
    await dialog.getByLabel("権限").selectOption({ label: "管理者" });
    await expectAccessible(page);
    await dialog.getByRole("button", { name: "招待メールを送る" }).click();
    await expect(page.getByText(`${email} に招待メールを送りました`)).toBeVisible();
    await expect(dialog).toHaveCount(0);

    const [invitation] = await server.database.db.select().from(staffInvitations).where(and(eq(staffInvitations.merchantId, server.merchantId), eq(staffInvitations.email, email)));
    const row = page.getByTestId(`invitation-${invitation!.id}`);
    await expect(row).toContainText(email);
    await expect(row).toContainText("管理者");
    await expectAccessible(page);

    // Inviting the same address again while the invitation is open is refused, in the dialog.
    await page.getByRole("button", { name: "メンバーを招待" }).click();
    await dialog.getByLabel("メールアドレス").fill(email);
    await dialog.getByRole("button", { name: "招待メールを送る" }).click();
    await expect(dialog.getByRole("alert")).toContainText("有効な招待がすでにあります");
    await dialog.getByRole("button", { name: "キャンセル" }).click();

    await expect.poll(async () => (await inbox(email)).length, { timeout: 30_000 }).toBe(1);
    const [mail] = await inbox(email);
    expect(mail!.subject).toContain("管理画面へのご招待");
    expect(mail!.from).toContain("デモ商店");
    const link = new URL(linkIn(mail!, "/invitation"));

    // The invitee's own browser: no staff session.
    const invitee = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const acceptPage = await invitee.newPage();
    await acceptPage.goto(`${link.pathname}${link.search}`);
    await expect(acceptPage.getByRole("heading", { name: "「デモ商店」の管理画面に参加" })).toBeVisible();
    await expect(acceptPage.getByTestId("invitation-role")).toHaveText("管理者");
    const form = acceptPage.getByTestId("accept-invitation");
    await expect(form.getByLabel("メールアドレス")).toHaveValue(email);
    await expectAccessible(acceptPage);
    await form.getByLabel("お名前").fill("招待 花子");
    await form.getByLabel("パスワード", { exact: true }).fill("invited-password-1");
    await form.getByLabel("パスワード（確認）").fill("invited-password-2");
    await form.getByRole("button", { name: "登録してログイン" }).click();
    await expect(form.getByText("確認用のパスワードが一致しません。")).toBeVisible();
    await form.getByLabel("パスワード（確認）").fill("invited-password-1");
    await form.getByRole("button", { name: "登録してログイン" }).click();

    await expect(acceptPage).toHaveURL(/\/console$/, { timeout: 30_000 });
    const [member] = await server.database.db.select().from(staffUsers).where(eq(staffUsers.email, email));
    expect(member).toMatchObject({ merchantId: server.merchantId, name: "招待 花子", role: "admin" });
    // Signed in as the new admin: the team page shows them as "you", with the admin's rights (the invite button works).
    await acceptPage.goto("/console/settings/team");
    const self = acceptPage.getByTestId(`member-${member!.id}`);
    await expect(self).toContainText("あなた");
    await expect(self).toContainText("管理者");
    await expect(acceptPage.getByRole("button", { name: "メンバーを招待" })).toBeEnabled();

    // The link is single use: opened again, it says so and offers the sign-in page.
    await acceptPage.goto(`${link.pathname}${link.search}`);
    await expect(acceptPage.getByTestId("invitation-refused-used")).toContainText("この招待はすでに使われています");
    await invitee.close();

    await page.reload();
    await expect(page.getByTestId(`invitation-${invitation!.id}`)).toHaveCount(0);
  });

  test("sends an invitation again, then revokes it after a confirmation; its link then opens nothing, in English for an English visitor", async ({ page, browser, server }) => {
    test.setTimeout(90_000);
    const email = `revoked-${unique()}@example.jp`;
    const invitationId = await inviteInPage(page, server, email, "閲覧のみ");
    const row = page.getByTestId(`invitation-${invitationId}`);
    await expect(row).toContainText("閲覧のみ");
    // Sent again: a second mail with a fresh link.
    await row.getByRole("button", { name: `${email} に招待メールを再送信` }).click();
    const resend = page.getByRole("dialog", { name: `${email} に招待メールを再送信しますか？` });
    await expect(resend).toContainText("有効期限は今から7日間です");
    await resend.getByRole("button", { name: "再送信する" }).click();
    await expect(page.getByText(`${email} に招待メールを再送信しました`)).toBeVisible();
    await expect.poll(async () => (await inbox(email)).length, { timeout: 30_000 }).toBe(2);

    await row.getByRole("button", { name: `${email} への招待を取り消す` }).click();
    const confirm = page.getByRole("dialog", { name: `${email} への招待を取り消しますか？` });
    await expectAccessible(page);
    await confirm.getByRole("button", { name: "取り消す" }).click();
    await expect(page.getByText(`${email} への招待を取り消しました`)).toBeVisible();
    await expect(row).toHaveCount(0);

    const link = new URL(linkIn((await inbox(email))[1]!, "/invitation"));
    const visitor = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const visit = await visitor.newPage();
    await visit.goto(`${link.pathname}${link.search}`);
    await expect(visit.getByTestId("invitation-refused-revoked")).toContainText("この招待は取り消されました");
    await expectAccessible(visit);
    await visit.getByRole("button", { name: "English" }).click();
    await expect(visit.getByTestId("invitation-refused-revoked")).toContainText("This invitation was revoked");
    await visitor.close();
    expect(await server.database.db.select().from(staffUsers).where(eq(staffUsers.email, email))).toEqual([]);
  });
});

test.describe("a viewer", () => {
  test.use({ signedInAs: "viewer" });

  test("sees the pending invitations, with inviting, resending and revoking disabled and the reason given", async ({ page, server }) => {
    const email = `viewer-sees-${unique()}@example.jp`;
    const invitationId = newId("sinv");
    const owner = await server.as("owner");
    await server.database.db.insert(staffInvitations).values({ id: invitationId, merchantId: server.merchantId, email, role: "operator", invitedBy: owner.actor.id, expiresAt: new Date(Date.now() + 86_400_000) });
    await page.goto("/console/settings/team");
    await expect(page.getByRole("button", { name: "メンバーを招待" })).toBeDisabled();
    const row = page.getByTestId(`invitation-${invitationId}`);
    await expect(row).toContainText(email);
    await expect(row.getByRole("button", { name: "再送信" })).toBeDisabled();
    await expect(row.getByRole("button", { name: "取り消し" })).toBeDisabled();
    const [inviter] = await server.database.db.select({ name: staffUsers.name }).from(staffUsers).where(eq(staffUsers.id, owner.actor.id!));
    await expect(row).toContainText(inviter!.name);
    await expectAccessible(page);
    await server.database.db.update(staffInvitations).set({ revokedAt: new Date() }).where(eq(staffInvitations.id, invitationId));
  });
});
