import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { customers, subscriptions, testClocks } from "@/db/schema";
import { beginTestClockAdvance, completeTestClockAdvance } from "@/lib/services/advance-test-clock";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { createTestClock } from "@/lib/services/create-test-clock";
import { createTestClockCustomer } from "@/lib/services/create-test-clock-customer";
import { expect, expectAccessible, test } from "./support/fixtures";
import type { ServerData } from "./support/fixtures";

/**
 * テストクロック (/console/test-clocks): an owner makes a clock, puts a customer with a test card and a contract on it,
 * advances it a month in the background and sees the renewal in "what ran", and the contract, the customer and the
 * contracts list marked as test data; a viewer reads with every action disabled and the reason given. The demo
 * merchant is shared: names are the test's own.
 */

async function seedPlan(server: ServerData, tag: string) {
  const ctx = await server.as("owner");
  const product = await createProduct(ctx, { name: `ヨガ教室 ${tag}` });
  const plan = await createPlan(ctx, { productId: product.id, name: `月額 ${tag}`, amount: 3300, interval: "month" });
  return { product, plan };
}

test.describe("an owner", () => {
  test("creates a clock, a customer and a contract on it, advances a month and sees the renewal, marked as test data", async ({ page, server }) => {
    // Four dialogs, a background advance and three pages that show the badge.
    test.setTimeout(120_000);
    const tag = randomUUID().slice(0, 8);
    const { plan } = await seedPlan(server, tag);
    const clockName = `更新テスト ${tag}`;
    const customerName = `試験 花子 ${tag}`;
    const email = `hanako-${tag}@example.jp`;

    await page.goto("/console/test-clocks");
    await expect(page.getByRole("link", { name: "テストクロック", exact: true })).toHaveAttribute("aria-current", "page");
    await page.getByRole("button", { name: "新しいテストクロック" }).click();
    const create = page.getByRole("dialog", { name: "新しいテストクロック" });
    await expectAccessible(page);
    await create.getByLabel("名前（任意）").fill(clockName);
    await create.getByLabel("開始時刻").fill("2027-01-10T12:00");
    await create.getByRole("button", { name: "作成する" }).click();
    await expect(page.getByText("テストクロックを作成しました")).toBeVisible();
    await expect(page.getByRole("heading", { name: new RegExp(clockName) })).toBeVisible();
    const [clock] = await server.database.db.select().from(testClocks).where(eq(testClocks.name, clockName));
    // 12:00 in the merchant's zone (Tokyo) is 03:00 UTC.
    expect(clock).toMatchObject({ merchantId: server.merchantId, frozenTime: new Date("2027-01-10T03:00:00Z"), status: "ready" });
    await expect(page).toHaveURL(new RegExp(`/console/test-clocks/${clock!.id}$`));
    await expect(page.getByTestId("frozen-time")).toHaveText("2027/01/10 12:00");
    await expect(page.getByText("まだ顧客がいません。")).toBeVisible();
    await expect(page.getByText("まだ何も実行されていません。")).toBeVisible();
    await expectAccessible(page);

    await page.getByRole("button", { name: "顧客を追加" }).click();
    const addCustomer = page.getByRole("dialog", { name: "このクロックに顧客を追加" });
    await addCustomer.getByLabel("名前").fill(customerName);
    await addCustomer.getByLabel("メールアドレス").fill(email);
    await expect(addCustomer.getByRole("radio", { name: /決済に成功するカード/ })).toBeChecked();
    await expectAccessible(page);
    await addCustomer.getByRole("button", { name: "追加する" }).click();
    await expect(page.getByText(`${customerName} さんをこのクロックに追加しました`)).toBeVisible();
    const [customer] = await server.database.db.select().from(customers).where(eq(customers.email, email));
    expect(customer).toMatchObject({ testClockId: clock!.id, createdAt: new Date("2027-01-10T03:00:00Z") });
    await expect(page.getByTestId(`clock-customer-${customer!.id}`)).toContainText("visa •••• 4242");

    await page.getByRole("button", { name: "契約を作成" }).click();
    const addContract = page.getByRole("dialog", { name: "このクロックで契約を作成" });
    await addContract.getByLabel("顧客").selectOption({ label: `${customerName}（${email}）` });
    await addContract.getByLabel("プラン").selectOption(plan.id);
    await expectAccessible(page);
    await addContract.getByRole("button", { name: "契約を作成する" }).click();
    await expect(page.getByText("契約を作成しました")).toBeVisible();
    const [contract] = await server.database.db.select().from(subscriptions).where(eq(subscriptions.customerId, customer!.id));
    expect(contract).toMatchObject({ testClockId: clock!.id, status: "active" });
    const contractRow = page.getByTestId(`clock-contract-${contract!.id}`);
    await expect(contractRow).toContainText("有効");
    await expect(contractRow).toContainText("2027年2月");
    const activity = page.getByTestId("clock-activity");
    await expect(activity).toContainText("申込時の決済 ¥3,300：成功");

    // A month on: the server answers once the clock is advancing, and the page refreshes itself until it is ready.
    await page.getByRole("button", { name: "+1か月" }).click();
    await expect(page.getByText("クロックを進め始めました。")).toBeVisible();
    await expect(page.getByTestId("frozen-time")).toHaveText("2027/02/10 12:00", { timeout: 30_000 });
    await expect(page.getByRole("heading", { name: new RegExp(clockName) })).toContainText("準備完了");
    await expect(page.getByTestId("advance-status")).toHaveText("");
    // The renewal ran at 00:00 on 10 February: its action, invoice, charge and receipt mail, in that order.
    const renewal = activity.getByRole("listitem").filter({ hasText: "2027/02/10 00:00" });
    await expect(renewal).toHaveCount(4);
    await expect(renewal.nth(0)).toContainText("継続課金");
    await expect(renewal.nth(1)).toContainText("継続の請求書 ¥3,300（支払い済み）");
    await expect(renewal.nth(2)).toContainText("継続課金 ¥3,300：成功");
    await expect(renewal.nth(3)).toContainText("「決済完了（領収）」");
    await expect(contractRow).toContainText("2027年3月");
    await expectAccessible(page);

    // The contract is marked as test data, linking back to its clock.
    await contractRow.getByRole("link", { name: new RegExp(`${customerName} さんの契約`) }).click();
    await expect(page).toHaveURL(new RegExp(`/console/subscriptions/${contract!.id}$`));
    const badge = page.getByTestId("test-clock-badge");
    await expect(badge).toHaveText(`テストクロック：${clockName}`);
    await expectAccessible(page);
    await badge.click();
    await expect(page).toHaveURL(new RegExp(`/console/test-clocks/${clock!.id}$`));

    await page.goto(`/console/customers/${customer!.id}`);
    await expect(page.getByTestId("test-clock-badge")).toHaveText(`テストクロック：${clockName}`);
    await page.goto(`/console/subscriptions?q=${encodeURIComponent(email)}`);
    await expect(page.getByRole("row", { name: new RegExp(customerName) }).getByRole("link", { name: `テストクロック：${clockName}` })).toBeVisible();
    await page.goto(`/console/customers?q=${encodeURIComponent(email)}`);
    await expect(page.getByRole("row", { name: new RegExp(customerName) }).getByRole("link", { name: `テストクロック：${clockName}` })).toBeVisible();
  });

  test("sees an advance in progress with the controls held, and the page refreshes itself when it is done", async ({ page, server }) => {
    const owner = await server.as("owner");
    const clock = await createTestClock(owner, { name: `進行中 ${randomUUID().slice(0, 8)}`, frozenTime: new Date("2027-03-01T03:00:00Z") });
    // Begun as the API's or the console's advance is, its work not done yet (its lease keeps the runner away).
    await beginTestClockAdvance(owner, { testClockId: clock.id, frozenTime: new Date("2027-03-08T03:00:00Z") });
    await page.goto(`/console/test-clocks/${clock.id}`);
    await expect(page.getByTestId("advance-status")).toHaveText(/^進めています…\s*進める先：\s*2027\/03\/08 12:00$/);
    await expect(page.getByTestId("frozen-time")).toHaveText("2027/03/01 12:00");
    for (const name of ["+1日", "+1週間", "+1か月"]) await expect(page.getByRole("button", { name, exact: true })).toBeDisabled();
    await expect(page.getByLabel("クロックを進めている間は操作できません。終わるまでお待ちください。").first()).toBeVisible();
    await expectAccessible(page);

    await completeTestClockAdvance({ ...server.platform, merchantId: server.merchantId }, clock.id);
    // No reload: the page asks the server again while the clock advances.
    await expect(page.getByTestId("frozen-time")).toHaveText("2027/03/08 12:00", { timeout: 10_000 });
    await expect(page.getByTestId("advance-status")).toHaveText("");
    await expect(page.getByRole("button", { name: "+1日", exact: true })).toBeEnabled();
  });

  test("is told beside the field when the time to advance to is before the clock's, and the clock stays", async ({ page, server }) => {
    const clock = await createTestClock(await server.as("owner"), { name: `戻せない ${randomUUID().slice(0, 8)}`, frozenTime: new Date("2027-05-01T03:00:00Z") });
    await page.goto(`/console/test-clocks/${clock.id}`);
    const to = page.getByLabel("指定した日時まで進める");
    await page.getByRole("button", { name: "進める", exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: "進める先の日時を入力してください。" })).toBeVisible();
    await to.fill("2027-04-01T12:00");
    await page.getByRole("button", { name: "進める", exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: "今のクロックの時刻より後の日時を指定してください。" })).toBeVisible();
    await expect(to).toHaveAttribute("aria-invalid", "true");
    const [stored] = await server.database.db.select().from(testClocks).where(eq(testClocks.id, clock.id));
    expect(stored).toMatchObject({ frozenTime: new Date("2027-05-01T03:00:00Z"), status: "ready" });
    await expectAccessible(page);
  });
});

test.describe("a viewer", () => {
  test.use({ signedInAs: "viewer" });

  test("reads the clocks and a clock's page, with creating and advancing disabled and the reason given", async ({ page, server }) => {
    const tag = randomUUID().slice(0, 8);
    const owner = await server.as("owner");
    const clock = await createTestClock(owner, { name: `閲覧用 ${tag}`, frozenTime: new Date("2027-01-10T03:00:00Z") });
    await createTestClockCustomer(owner, { testClockId: clock.id, name: `試験 閲覧 ${tag}`, email: `viewer-${tag}@example.jp`, card: "decline" });

    await page.goto("/console/test-clocks");
    const reason = "閲覧のみの権限では、テストクロックの作成・操作はできません。";
    await expect(page.getByRole("button", { name: "新しいテストクロック" })).toBeDisabled();
    await expect(page.getByLabel(reason).first()).toBeVisible();
    const row = page.getByTestId(`clock-${clock.id}`);
    await expect(row).toContainText("2027/01/10 12:00");
    await expect(row).toContainText("準備完了");
    await expectAccessible(page);

    await row.getByRole("link", { name: `閲覧用 ${tag}` }).click();
    await expect(page.getByTestId(/^clock-customer-/)).toContainText("•••• 0341");
    for (const name of ["+1日", "+1週間", "+1か月", "顧客を追加", "契約を作成"]) await expect(page.getByRole("button", { name, exact: true })).toBeDisabled();
    await expect(page.getByRole("button", { name: "進める", exact: true })).toBeDisabled();
    await expect(page.getByLabel("指定した日時まで進める")).toBeDisabled();
    await expectAccessible(page);
  });
});
