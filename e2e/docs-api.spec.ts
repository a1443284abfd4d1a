import { expect, test } from "@playwright/test";

test("the API reference at /docs/api lists the conventions and every endpoint, reachable from the home page", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: /API リファレンス/ }).click();
  await expect(page).toHaveURL(/\/docs\/api$/);
  await expect(page).toHaveTitle(/API リファレンス/);

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("API リファレンス");
  for (const name of [/^認証 Authentication$/, /^冪等性キー Idempotency keys$/, /^エラー Errors$/, /^ページネーション Pagination$/, /^金額と日時 Amounts & times$/]) {
    await expect(page.getByRole("heading", { level: 2, name })).toBeVisible();
  }
  await expect(page.getByRole("heading", { level: 2, name: /^契約 Subscriptions$/ })).toBeVisible();

  const create = page.getByRole("heading", { level: 3, name: "契約を作成 POST /subscriptions" });
  await expect(create).toBeVisible();
  const article = page.locator("article#post-subscriptions");
  await expect(article).toContainText("POST");
  await expect(article).toContainText("/subscriptions");
  // Request body fields with their rules, and the object returned.
  const body = article.getByRole("table", { name: "POST /subscriptions のリクエストボディ" });
  await expect(body.getByRole("rowheader", { name: "customer" })).toBeVisible();
  await expect(body.getByRole("row", { name: /^customer/ })).toContainText("必須");
  await expect(body.getByRole("row", { name: /^payment_method/ })).toContainText("任意");
  await expect(article.getByRole("link", { name: "Subscription", exact: true })).toHaveAttribute("href", "#object-subscription");

  // Query parameters of a list, with their limits.
  const list = page.locator("article#get-subscriptions");
  await expect(list.getByRole("table", { name: "GET /subscriptions のクエリパラメータ" })).toContainText("starting_after");
  await expect(list.getByRole("row", { name: /^limit/ })).toContainText("1–100");

  // The 402 fields and the 503 answer are documented.
  const errors = page.locator("section#errors");
  for (const field of ["decline_code", "subscription", "invoice"]) await expect(errors.getByRole("rowheader", { name: `error.${field}`, exact: true })).toBeVisible();
  await expect(errors.getByRole("rowheader", { name: "503" })).toBeVisible();

  // Keyboard: the table of contents is links; following one moves to the endpoint.
  const toc = page.getByRole("navigation", { name: "目次", exact: true });
  const tocLink = toc.getByRole("link", { name: /テストクロックを進める/ });
  await tocLink.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#post-test-clocks-id-advance$/);
  await expect(page.locator("article#post-test-clocks-id-advance")).toBeInViewport();
});
