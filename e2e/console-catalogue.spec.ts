import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { plans, products } from "@/db/schema";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { expect, expectAccessible, test } from "./support/fixtures";

/**
 * 商品とプラン (/console/catalogue): an owner creates a product, adds a plan with a trial and a joining fee while the
 * explanation beside the form says what a customer signing up today pays and when, edits and archives; a viewer
 * reads with every action disabled and the reason given. The demo merchant is shared: names are the test's own.
 */

test.describe("an owner", () => {
  test("creates a product, adds a plan with a trial and a joining fee seeing the explanation, then archives the plan", async ({ page, server }) => {
    // A long path through three pages and four dialogs.
    test.slow();
    const tag = randomUUID().slice(0, 8);
    const name = `ヨガ教室 ${tag}`;
    await page.goto("/console/catalogue");
    await expect(page.getByRole("link", { name: "商品とプラン" })).toHaveAttribute("aria-current", "page");
    await page.getByRole("button", { name: "商品を作成" }).click();
    const dialog = page.getByRole("dialog", { name: "商品を作成" });
    await expectAccessible(page);
    // An empty name is refused beside the field before asking the server.
    await dialog.getByRole("button", { name: "作成する" }).click();
    await expect(dialog.getByText("商品名を入力してください。")).toBeVisible();
    await dialog.getByLabel("商品名").fill(name);
    await dialog.getByLabel("説明（任意）").fill("週1回のレッスン");
    await dialog.getByRole("button", { name: "作成する" }).click();
    await expect(page.getByText(`商品「${name}」を作成しました`)).toBeVisible();
    const [product] = await server.database.db.select().from(products).where(eq(products.name, name));
    expect(product).toMatchObject({ description: "週1回のレッスン", active: true, merchantId: server.merchantId });
    const section = page.getByTestId(`product-${product!.id}`);
    await expect(section).toContainText("プランがありません。");

    await section.getByRole("link", { name: `${name} にプランを追加` }).click();
    await expect(page.getByRole("heading", { name: "プランを追加" })).toBeVisible();
    await expect(page.getByText("作成後は金額・周期・請求日などを変更できません")).toBeVisible();
    const explanation = page.getByTestId("plan-explanation");
    await expect(page.getByText("金額と周期を入力すると")).toBeVisible();
    await page.getByLabel("プラン名（任意）").fill(`月謝 ${tag}`);
    await page.getByLabel("金額（円）").fill("980");
    // Charged at sign-up on the sign-up day: today, then monthly.
    await expect(explanation).toContainText(/^本日 ¥980、以降毎月(\d+日|末日)に ¥980$/);
    await page.getByLabel("入会金（円、任意）").fill("3000");
    await expect(explanation).toContainText(/^本日 ¥3,980（入会金 ¥3,000 を含む）、以降毎月(\d+日|末日)に ¥980$/);
    await page.getByRole("radio", { name: "毎月決まった日" }).check();
    await page.getByLabel("日付（1〜31）").fill("25");
    await page.getByRole("radio", { name: "1回分を満額請求" }).check();
    await page.getByRole("radio", { name: "日数で指定" }).check();
    await page.getByLabel("お試し日数").fill("14");
    // A trial: nothing today, the first charge at its end with the joining fee, then on the 25th.
    await expect(explanation).toContainText(/^\d{4}年\d+月\d+日までお試し（無料）。\d{4}年\d+月\d+日に ¥3,980（入会金 ¥3,000 を含む）、以降毎月25日に ¥980$/);
    await page.getByRole("radio", { name: "このプランだけ変える" }).check();
    await page.getByLabel(/再決済する日/).fill("3, 1");
    await page.getByRole("button", { name: "プランを作成" }).click();
    await expect(page.getByText("1〜365 の日数を、増えていく順に")).toBeVisible();
    await expect(page.getByLabel(/再決済する日/)).toHaveAttribute("aria-invalid", "true");
    expect(await server.database.db.select().from(plans).where(eq(plans.productId, product!.id))).toEqual([]);
    await page.getByLabel(/再決済する日/).fill("3, 7, 14");
    // A metered price: a unit price that is not a number is refused by name, then corrected.
    await page.getByRole("button", { name: "従量項目を追加" }).click();
    await page.getByLabel("項目名 1").fill("教材コピー（枚）");
    await page.getByLabel("単価（円） 1").fill("十");
    await page.getByRole("button", { name: "プランを作成" }).click();
    await expect(page.getByText("従量項目には、重複しない項目名")).toBeVisible();
    await page.getByLabel("単価（円） 1").fill("10");
    await expect(page.getByTestId("plan-usage-rates")).toHaveText("従量: 教材コピー（枚） 1あたり ¥10（期間の終わりに利用量に応じて請求）");
    await expectAccessible(page);
    await page.getByRole("button", { name: "プランを作成" }).click();
    await expect(page.getByText("プランを作成しました")).toBeVisible();
    await expect(page).toHaveURL(/\/console\/catalogue$/);

    const [plan] = await server.database.db.select().from(plans).where(eq(plans.productId, product!.id));
    expect(plan).toMatchObject({ name: `月謝 ${tag}`, amount: 980, interval: "month", billingDay: 25, firstPeriod: "full", trialDays: 14, joiningFee: 3000, taxBehavior: "inclusive", taxRate: 10, retryScheduleDays: [3, 7, 14], usageRates: [{ metric: "教材コピー（枚）", unitAmount: 10 }], active: true });
    const row = page.getByTestId(`plan-${plan!.id}`);
    await expect(row).toContainText("¥980 / 毎月");
    await expect(row).toContainText("25日");
    await expect(row).toContainText("14日間");
    await expect(row).toContainText("¥3,000");
    await expectAccessible(page);

    await row.getByRole("button", { name: `月謝 ${tag} の提供を終了` }).click();
    const confirm = page.getByRole("dialog", { name: "このプランの提供を終了しますか？" });
    await expect(confirm).toContainText("契約中のお客様は今のプランのまま続きます");
    await confirm.getByRole("button", { name: "提供を終了する" }).click();
    await expect(page.getByText(`月謝 ${tag} の提供を終了しました`)).toBeVisible();
    await expect(row).toContainText("提供終了");
    expect((await server.database.db.select().from(plans).where(eq(plans.id, plan!.id)))[0]!.active).toBe(false);

    // Archiving the product: no plan can be added any more, and the reason is given.
    await section.getByRole("button", { name: `${name} を編集` }).click();
    const edit = page.getByRole("dialog", { name: "商品を編集" });
    await edit.getByLabel("商品名").fill(`${name}（夜）`);
    await edit.getByRole("radio", { name: "アーカイブ済み" }).check();
    await edit.getByRole("button", { name: "保存する" }).click();
    await expect(page.getByText(`商品「${name}（夜）」を保存しました`)).toBeVisible();
    await expect(section).toContainText("アーカイブ済み");
    await expect(section.getByRole("button", { name: "プランを追加" })).toBeDisabled();
    expect((await server.database.db.select().from(products).where(eq(products.id, product!.id)))[0]).toMatchObject({ name: `${name}（夜）`, active: false });
  });
});

test.describe("a viewer", () => {
  test.use({ signedInAs: "viewer" });

  test("reads the catalogue with every action disabled and the reason given", async ({ page, server }) => {
    test.slow();
    const owner = await server.as("owner");
    const tag = randomUUID().slice(0, 8);
    const product = await createProduct(owner, { name: `陶芸 ${tag}` });
    const plan = await createPlan(owner, { productId: product.id, name: `陶芸月謝 ${tag}`, amount: 5500, interval: "month", billingDay: 31, trialDays: 7 });
    await page.goto("/console/catalogue");
    const section = page.getByTestId(`product-${product.id}`);
    const row = page.getByTestId(`plan-${plan.id}`);
    await expect(row).toContainText("¥5,500 / 毎月");
    await expect(row).toContainText("末日");
    await expect(row).toContainText("7日間");
    await expect(page.getByRole("button", { name: "商品を作成" })).toBeDisabled();
    await expect(section.getByRole("button", { name: "編集" })).toBeDisabled();
    await expect(section.getByRole("button", { name: "プランを追加" })).toBeDisabled();
    await expect(row.getByRole("button", { name: "提供を終了" })).toBeDisabled();
    await expect(page.getByLabel("商品とプランを変更できるのはオーナーと管理者のみです。").first()).toBeVisible();
    await expectAccessible(page);
    // A typed URL of the form gives the same reason instead of the form.
    await page.goto(`/console/catalogue/${product.id}/plans/new`);
    await expect(page.getByRole("alert").filter({ hasText: "商品とプランを変更できるのはオーナーと管理者のみです。" })).toBeVisible();
    await expect(page.getByRole("button", { name: "プランを作成" })).toHaveCount(0);
  });
});
