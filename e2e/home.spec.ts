import { expect, test } from "@playwright/test";

test("the home page says what Keizoku is and shows the live status", async ({ page, request }) => {
  const health = await (await request.get("/api/health")).json();
  const label = health.database === "pglite" ? "埋め込み PGlite" : "PostgreSQL";

  await page.goto("/");
  await expect(page).toHaveTitle(/Keizoku/);
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Keizoku 継続課金");
  await expect(page.getByText("継続課金プラットフォーム")).toBeVisible();
  await expect(page.getByTestId("status-database")).toHaveText(label);
  await expect(page.getByTestId("status-merchants")).toHaveText(/^\d[\d,]* 件$/);
  await expect(page.getByTestId("status-subscriptions")).toHaveText(/^\d[\d,]* 件$/);
});

test("/api/health answers ok with the database kind", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("application/json");
  const body = await response.json();
  expect(body).toEqual({ ok: true, database: expect.stringMatching(/^(pglite|postgres)$/) });
});
