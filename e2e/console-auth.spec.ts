import { randomUUID } from "node:crypto";
import { createStaffUser } from "@/lib/services/create-staff-user";
import { expect, expectAccessible, test } from "./support/fixtures";
import { staffLogin } from "./support/server-data";

test.describe("signed out", () => {
  test.use({ signedInAs: null });

  test("a console page sends the visitor to the sign-in page and back after signing in", async ({ page }) => {
    await page.goto("/console/customers?q=abc");
    await expect(page).toHaveURL(/\/console\/sign-in\?callbackUrl=%2Fconsole%2Fcustomers%3Fq%3Dabc$/);
    await expect(page.getByRole("heading", { name: "スタッフログイン" })).toBeVisible();
    await expectAccessible(page);
    const { email, password } = staffLogin("operator");
    await page.getByLabel("メールアドレス").fill(email);
    await page.getByLabel("パスワード").fill(password);
    await page.getByRole("button", { name: "ログイン" }).click();
    await expect(page).toHaveURL(/\/console\/customers\?q=abc$/);
  });

  test("a callbackUrl to another site lands on the console instead", async ({ page }) => {
    await page.goto(`/console/sign-in?callbackUrl=${encodeURIComponent("https://evil.example/console")}`);
    const { email, password } = staffLogin("viewer");
    await page.getByLabel("メールアドレス").fill(email);
    await page.getByLabel("パスワード").fill(password);
    await page.getByRole("button", { name: "ログイン" }).click();
    await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/console$/);
  });

  test("wrong passwords get one message, and repeated failures lock even the right password out for a while", async ({ page, server }) => {
    const email = `throttle-${randomUUID()}@staff.test`;
    await createStaffUser(await server.as("owner"), { email, name: "試験 太郎", password: "right-password", role: "viewer" });
    await page.goto("/console/sign-in");
    const failed = page.getByRole("alert").filter({ hasText: "ログインできませんでした" });
    for (let i = 0; i < 4; i++) {
      await page.getByLabel("メールアドレス").fill(email);
      await page.getByLabel("パスワード").fill(`wrong-${i}`);
      await page.getByRole("button", { name: "ログイン" }).click();
      await expect(failed).toBeVisible();
    }
    // The fourth failure asks for a pause: the right password is refused with the same message.
    await page.getByLabel("パスワード").fill("right-password");
    await page.getByRole("button", { name: "ログイン" }).click();
    await expect(failed).toBeVisible();
    await expect(page).toHaveURL(/\/console\/sign-in/);
  });

  test("the sign-in page switches to English", async ({ page }) => {
    await page.goto("/console/sign-in");
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("heading", { name: "Staff sign-in" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await page.getByRole("button", { name: "日本語" }).click();
    await expect(page.getByRole("heading", { name: "スタッフログイン" })).toBeVisible();
  });
});

test.describe("signed in", () => {
  test("the console home shows the merchant, the staff member and counts per status", async ({ page }) => {
    await page.goto("/console");
    await expect(page.getByTestId("signed-in-as")).toContainText("オーナー");
    await expect(page.getByRole("navigation", { name: "メインメニュー" }).first().getByRole("link", { name: "契約" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "ステータス別の契約数" })).toBeVisible();
    await expectAccessible(page);
  });

  test("each role is named in the header", async ({ browser }) => {
    for (const [role, label] of [["admin", "管理者"], ["operator", "オペレーター"], ["viewer", "閲覧のみ"]] as const) {
      const context = await browser.newContext({ storageState: (await import("./support/server-data")).storageStateOf(role) });
      const page = await context.newPage();
      await page.goto("/console");
      await expect(page.getByTestId("signed-in-as")).toContainText(label);
      await context.close();
    }
  });

  test("signing out ends the session", async ({ browser }) => {
    // A session of its own, so that signing out does not end the saved one other tests use.
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    const { email, password } = staffLogin("admin");
    await page.goto("/console/sign-in");
    await page.getByLabel("メールアドレス").fill(email);
    await page.getByLabel("パスワード").fill(password);
    await page.getByRole("button", { name: "ログイン" }).click();
    await expect(page).toHaveURL(/\/console$/);
    await page.getByRole("button", { name: "ログアウト" }).click();
    await expect(page.getByText("ログアウトしました。")).toBeVisible();
    await page.goto("/console");
    await expect(page).toHaveURL(/\/console\/sign-in/);
    await context.close();
  });

  test("a staff member's language follows them: English stays after signing in again", async ({ browser, server }) => {
    const email = `locale-${randomUUID()}@staff.test`;
    const password = "locale-password";
    await createStaffUser(await server.as("owner"), { email, name: "Language Tester", password, role: "operator" });
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await page.goto("/console/sign-in");
    await page.getByLabel("メールアドレス").fill(email);
    await page.getByLabel("パスワード").fill(password);
    await page.getByRole("button", { name: "ログイン" }).click();
    await expect(page).toHaveURL(/\/console$/);
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("heading", { name: "Contracts by status" })).toBeVisible();
    // A new browser: no cookie, the staff member's own setting.
    const other = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const second = await other.newPage();
    await second.goto("/console/sign-in");
    await second.getByLabel("メールアドレス").fill(email);
    await second.getByLabel("パスワード").fill(password);
    await second.getByRole("button", { name: "ログイン" }).click();
    await expect(second.getByRole("heading", { name: "Contracts by status" })).toBeVisible();
    await second.getByRole("button", { name: "日本語" }).click();
    await expect(second.getByRole("heading", { name: "ステータス別の契約数" })).toBeVisible();
    await Promise.all([context.close(), other.close()]);
  });
});
