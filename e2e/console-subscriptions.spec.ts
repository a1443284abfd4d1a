import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import iconv from "iconv-lite";
import Papa from "papaparse";
import { staffContext } from "@/lib/services/contexts";
import { addPaymentMethod } from "@/lib/services/add-payment-method";
import type { ServiceContext } from "@/lib/services/context";
import { createCustomer } from "@/lib/services/create-customer";
import { createMerchant } from "@/lib/services/create-merchant";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { createSubscription } from "@/lib/services/create-subscription";
import { expect, expectAccessible, test, type ServerData } from "./support/fixtures";

/**
 * The contracts workspace in Chromium, against `next start`. Each run seeds contracts of its own through the services
 * (a product named with a unique tag, so that the demo data never gets in the way): 26 live contracts and 4 whose
 * first charge was declined, named so that Japanese searches find some of them.
 */
const NAMES = ["山田 花子", "佐藤 太郎", "鈴木 一郎", "山田 次郎", "高橋 美咲"];

type Seeded = { tag: string; productId: string; ids: string[]; url: string };

async function seed(server: ServerData): Promise<Seeded> {
  const tag = randomUUID().slice(0, 8);
  const ctx = await server.as("owner");
  const product = await createProduct(ctx, { name: `E2E契約 ${tag}` });
  const cheap = await createPlan(ctx, { productId: product.id, name: "月額 1,000円", amount: 1000, interval: "month" });
  const dear = await createPlan(ctx, { productId: product.id, name: "月額 3,000円", amount: 3000, interval: "month" });
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) ids.push(await contract(ctx, { name: `${NAMES[i % NAMES.length]}`, email: `c${i}.${tag}@e2e.test`, planId: i % 3 === 0 ? dear.id : cheap.id, declined: i >= 26 }));
  return { tag, productId: product.id, ids, url: `/console/subscriptions?product=${product.id}` };
}

async function contract(ctx: ServiceContext, input: { name: string; email: string; planId: string; declined?: boolean }): Promise<string> {
  const controls = ctx.gateways.byName("sandbox")!.testControls!;
  const customer = await createCustomer(ctx, { name: input.name, email: input.email });
  const token = await controls.createToken({ number: input.declined ? "4000000000000341" : "4242424242424242", expMonth: 12, expYear: 2035, cvc: "123" }, new Date());
  await addPaymentMethod(ctx, { customerId: customer.id, token: token.id, makeDefault: true });
  try {
    return (await createSubscription(ctx, { customerId: customer.id, planId: input.planId })).id;
  } catch {
    // A declined first charge leaves the contract incomplete; find it by its customer.
    const { listSubscriptions } = await import("@/lib/services/queries/subscriptions");
    const page = await listSubscriptions(ctx, { limit: 1, customerId: customer.id });
    return page.rows[0]!.id;
  }
}

const rows = (page: Page) => page.getByTestId("subscription-row");
const range = (page: Page) => page.getByTestId("pagination-range");

let data: Seeded;
test.beforeAll(async ({ server }) => {
  data = await seed(server);
});

test.describe("as an operator", () => {
  test.use({ signedInAs: "operator" });

  test("status tabs, filters, sort, pages, page size and columns, all in the URL", async ({ page }) => {
    await page.goto(data.url);
    await expect(range(page)).toHaveText("全30件中 1–25件");
    await expect(page.getByTestId("tab-all")).toContainText("30");
    await expect(page.getByTestId("tab-active")).toContainText("26");
    await expect(page.getByTestId("tab-incomplete")).toContainText("4");
    await expectAccessible(page);

    await page.getByTestId("tab-incomplete").click();
    await expect(page).toHaveURL(/status=incomplete/);
    await expect(rows(page)).toHaveCount(4);
    await expect(page.getByTestId("tab-incomplete")).toHaveAttribute("aria-pressed", "true");
    await page.getByTestId("tab-all").click();
    await expect(rows(page)).toHaveCount(25);

    // Sort by customer name: the header says so, and the rows follow.
    const customerHeader = page.getByRole("columnheader", { name: /顧客/ });
    await customerHeader.getByRole("button").click();
    await expect(customerHeader).toHaveAttribute("aria-sort", "ascending");
    await expect(page).toHaveURL(/sort=customer_name/);
    // The header turns as soon as the URL does; the rows follow when the server answers.
    await expect
      .poll(async () => {
        const names = await rows(page).locator("td:nth-child(2) a").allTextContents();
        return names.length === 25 && names.every((name, i) => i === 0 || names[i - 1]! <= name);
      })
      .toBe(true);
    await customerHeader.getByRole("button").click();
    await expect(customerHeader).toHaveAttribute("aria-sort", "descending");

    await page.getByRole("button", { name: "次のページ" }).click();
    await expect(range(page)).toHaveText("全30件中 26–30件");
    await expect(rows(page)).toHaveCount(5);
    await page.getByLabel("表示件数").selectOption("50");
    await expect(range(page)).toHaveText("全30件中 1–30件");
    await expect(page).toHaveURL(/perPage=50/);

    // The filters panel, open because the product filter is on: an amount range leaves the 3,000-yen plan's 10.
    await expect(page.getByRole("button", { name: /絞り込みを閉じる/ })).toHaveAttribute("aria-expanded", "true");
    await expect(page.getByRole("button", { name: /絞り込みを閉じる/ })).toContainText("1件の条件で絞り込み中");
    await page.getByLabel("金額 下限").fill("2000");
    await page.getByRole("button", { name: "この条件で絞り込む" }).click();
    await expect(range(page)).toHaveText("全10件中 1–10件");
    await expect(page).toHaveURL(/amountMin=2000/);

    // Columns: hiding カード removes the column and keeps the choice in the URL.
    await page.getByRole("button", { name: "表示する列" }).click();
    await page.getByRole("menuitemcheckbox", { name: "カード" }).click();
    await page.keyboard.press("Escape");
    await expect(page.getByRole("columnheader", { name: "カード" })).toHaveCount(0);
    await expect(page).toHaveURL(/cols=/);
    await page.reload();
    await expect(page.getByRole("columnheader", { name: "カード" })).toHaveCount(0);
  });

  test("Japanese typed through an IME searches only once converted, and the Enter that confirms does not submit", async ({ page }) => {
    await page.goto(data.url);
    await expect(range(page)).toHaveText("全30件中 1–25件");
    const searches: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).searchParams.has("q")) searches.push(request.url());
    });
    const box = page.getByLabel("顧客・契約を検索");
    await box.click();
    const cdp = await page.context().newCDPSession(page);
    // Unconverted kana, as an IME shows it while typing: no search, however long one waits.
    await cdp.send("Input.imeSetComposition", { text: "やまだ", selectionStart: 3, selectionEnd: 3 });
    await expect(box).toHaveValue("やまだ");
    await page.waitForTimeout(900);
    // The Enter that confirms the conversion arrives while composing.
    await cdp.send("Input.imeSetComposition", { text: "山田", selectionStart: 2, selectionEnd: 2 });
    await cdp.send("Input.dispatchKeyEvent", { type: "rawKeyDown", key: "Enter", code: "Enter", windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229 });
    await page.waitForTimeout(600);
    expect(searches).toEqual([]);
    await expect(page).not.toHaveURL(/q=/);
    // Converted and committed: now it searches (after the pause), for 山田 (6 + 6 of the 30).
    await cdp.send("Input.insertText", { text: "山田" });
    await expect(page).toHaveURL(/q=%E5%B1%B1%E7%94%B0/);
    await expect(range(page)).toHaveText("全12件中 1–12件");
    await expect(box).toHaveValue("山田");
    await cdp.detach();
    // A plain Enter searches at once.
    await box.fill(`c1.${data.tag}`);
    await box.press("Enter");
    await expect(range(page)).toHaveText("全1件中 1–1件");
  });

  test("selection by id across pages, then all N matching; changing the search clears it", async ({ page }) => {
    await page.goto(`${data.url}&sort=created_at&order=asc`);
    await rows(page).nth(0).getByRole("checkbox").click();
    await rows(page).nth(1).getByRole("checkbox").click();
    await expect(page.getByTestId("selection-count")).toHaveText("2件を選択中");
    await page.getByRole("button", { name: "次のページ" }).click();
    await expect(range(page)).toHaveText("全30件中 26–30件");
    await rows(page).nth(0).getByRole("checkbox").click();
    await expect(page.getByTestId("selection-count")).toHaveText("3件を選択中");
    await page.getByRole("button", { name: "前のページ" }).click();
    await expect(rows(page).nth(0).getByRole("checkbox")).toBeChecked();
    await expect(rows(page).nth(2).getByRole("checkbox")).not.toBeChecked();

    await page.getByRole("checkbox", { name: "このページの契約をすべて選択" }).click();
    await expect(page.getByTestId("selection-count")).toHaveText("26件を選択中");
    await page.getByRole("button", { name: "この検索条件に一致する30件をすべて選択" }).click();
    await expect(page.getByTestId("selection-count")).toHaveText("この検索条件に一致する30件をすべて選択中");
    await expect(page.getByText("検索条件を変えると解除されます")).toBeVisible();

    await page.getByTestId("tab-active").click();
    await expect(page.getByTestId("selection-toolbar")).toHaveCount(0);
    await expect(rows(page).nth(0).getByRole("checkbox")).not.toBeChecked();
  });

  test("a saved search made, cleared and applied again; a preset applied", async ({ page }) => {
    await page.goto(`${data.url}&q=${encodeURIComponent("山田")}&order=asc`);
    await expect(range(page)).toHaveText("全12件中 1–12件");
    await page.getByRole("button", { name: "保存した検索条件" }).click();
    await page.getByRole("menuitem", { name: "この条件を保存" }).click();
    const name = `山田さん ${data.tag}`;
    await page.getByLabel("名前").fill(name);
    await page.getByRole("button", { name: "保存", exact: true }).click();
    await expect(page.getByText(`「${name}」を保存しました`)).toBeVisible();

    await page.goto("/console/subscriptions");
    await page.getByRole("button", { name: "保存した検索条件" }).click();
    await page.getByRole("menuitem", { name }).click();
    await expect(page).toHaveURL(new RegExp(`product=${data.productId}`));
    await expect(page).toHaveURL(/q=%E5%B1%B1%E7%94%B0/);
    await expect(range(page)).toHaveText("全12件中 1–12件");

    await page.getByRole("button", { name: "保存した検索条件" }).click();
    await page.getByRole("menuitem", { name: "決済エラー（手動リトライ可）" }).click();
    await expect(page).toHaveURL(/status=past_due,unpaid/);
    await expect(page).toHaveURL(/sort=days_unpaid/);
    await expect(page.getByTestId("tab-past_due")).toBeVisible();
  });

  test("the CSV export of the search, in UTF-8 with a BOM and in Shift_JIS, parses back", async ({ page }) => {
    await page.goto(`${data.url}&q=${encodeURIComponent("山田")}`);
    await expect(range(page)).toHaveText("全12件中 1–12件");
    for (const [testId, decode] of [
      ["export-utf8", (bytes: Buffer) => (expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]), bytes.subarray(3).toString("utf8"))],
      ["export-shift-jis", (bytes: Buffer) => iconv.decode(bytes, "cp932")],
    ] as const) {
      await page.getByRole("button", { name: "CSV出力" }).click();
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testId).click()]);
      const text = decode(await readFile((await download.path())!));
      const parsed = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true });
      expect(parsed.errors).toEqual([]);
      const [header, ...body] = parsed.data;
      expect(header!.slice(0, 4)).toEqual(["契約ID", "顧客ID", "顧客名", "メールアドレス"]);
      expect(body).toHaveLength(12);
      expect(new Set(body.map((r) => r[2]))).toEqual(new Set(["山田 花子", "山田 次郎"]));
      expect(body.every((r) => data.ids.includes(r[0]!))).toBe(true);
      expect(download.suggestedFilename()).toMatch(/\.csv$/);
    }
  });

  test("another merchant's contracts never show, and the page reads fresh data on every search", async ({ page, server }) => {
    const other = await createMerchant(await server.as("owner"), { name: `よその店 ${data.tag}`, email: `other-${data.tag}@e2e.test`, password: "other-password" });
    const theirs = staffContext(server.platform, { merchantId: other.merchantId, staffUserId: other.staffUserId, role: "owner" });
    const product = await createProduct(theirs, { name: "よその商品" });
    const plan = await createPlan(theirs, { productId: product.id, amount: 500, interval: "month" });
    await contract(theirs, { name: `山田 他店 ${data.tag}`, email: `theirs.${data.tag}@e2e.test`, planId: plan.id });

    await page.goto(`/console/subscriptions?q=${data.tag}`);
    await expect(range(page)).toHaveText("全30件中 1–25件");
    await expect(page.getByText(`山田 他店 ${data.tag}`)).toHaveCount(0);

    // A contract made after the page was shown appears on the next search (shallow: false reaches the server).
    const ctx = await server.as("owner");
    const plans = await import("@/lib/services/queries/catalogue").then((m) => m.listPlans(ctx, { limit: 1, productId: data.productId }));
    await contract(ctx, { name: `新規 ${data.tag}`, email: `new.${data.tag}@e2e.test`, planId: plans.rows[0]!.id });
    await page.getByTestId("tab-active").click();
    await expect(page.getByText(`新規 ${data.tag}`)).toBeVisible();
    await expect(range(page)).toHaveText("全27件中 1–25件");
  });
});

test.describe("as a viewer", () => {
  test.use({ signedInAs: "viewer" });

  test("reads and applies searches, but cannot save or export; the empty state says what to do", async ({ page }) => {
    await page.goto(`${data.url}&status=incomplete`);
    await expect(range(page)).toHaveText("全4件中 1–4件");
    await page.getByRole("button", { name: "保存した検索条件" }).click();
    await expect(page.getByRole("menuitem", { name: "この条件を保存" })).toHaveAttribute("data-disabled", "");
    await expect(page.getByText("閲覧のみの権限では検索条件を保存・変更できません。")).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(page.getByRole("button", { name: "CSV出力" })).toBeDisabled();
    await expect(page.getByLabel("閲覧のみの権限ではCSVを出力できません。")).toBeVisible();
    // The export itself refuses a viewer, whatever the page shows.
    const response = await page.request.get(`/console/subscriptions/export?product=${data.productId}&encoding=utf8`);
    expect(response.status()).toBe(403);

    await page.goto(`${data.url}&q=${encodeURIComponent("存在しない名前")}`);
    await expect(page.getByTestId("empty-state")).toContainText("条件に一致する契約はありません");
    await expect(page.getByRole("button", { name: "条件をすべてクリア" }).first()).toBeVisible();
    await expectAccessible(page);
  });
});
