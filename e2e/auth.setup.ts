import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test as setup } from "@playwright/test";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { staffLogin, storageStateOf } from "./support/server-data";

// Each role signs in once through the sign-in page; the console tests reuse the saved browser state.
for (const role of STAFF_ROLES) {
  setup(`sign in as the demo ${role}`, async ({ page }) => {
    const { email, password } = staffLogin(role);
    await page.goto("/console/sign-in");
    await page.getByLabel("メールアドレス").fill(email);
    await page.getByLabel("パスワード").fill(password);
    await page.getByRole("button", { name: "ログイン" }).click();
    await expect(page).toHaveURL(/\/console$/);
    await expect(page.getByTestId("signed-in-as")).toBeVisible();
    mkdirSync(path.dirname(storageStateOf(role)), { recursive: true });
    await page.context().storageState({ path: storageStateOf(role) });
  });
}
