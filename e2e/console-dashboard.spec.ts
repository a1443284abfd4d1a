import { formatMoney } from "@/lib/billing/money";
import { dashboard } from "@/lib/services/queries/dashboard";
import { expect, expectAccessible, test } from "./support/fixtures";

test.describe("console dashboard", () => {
  test("shows the demo merchant's figures as the dashboard query computes them, each with its definition", async ({ page, server }) => {
    const ctx = await server.as("viewer");
    await page.goto("/console");
    await expect(page.getByRole("heading", { level: 1, name: "ダッシュボード" })).toBeVisible();
    // Read after the page, so that both saw the same contracts (this spec adds none).
    const figures = await dashboard(ctx);
    expect(figures.counts.active).toBeGreaterThan(0);
    const yen = (amount: number) => formatMoney({ amount, currency: figures.currency });

    await expect(page.getByTestId("figure-mrr")).toHaveText(yen(figures.mrr));
    await expect(page.getByTestId("figure-new-mrr")).toHaveText(yen(figures.months.at(-1)!.newMrr));
    await expect(page.getByTestId("figure-churned-mrr")).toHaveText(yen(figures.months.at(-1)!.churnedMrr));
    await expect(page.getByTestId("figure-upcoming-30")).toHaveText(`${figures.upcoming30.count}件・${yen(figures.upcoming30.amount)}`);
    for (const status of ["active", "trialing", "past_due", "unpaid"] as const) {
      await expect(page.getByTestId(`dashboard-count-${status}`)).toHaveText(figures.counts[status].toLocaleString("ja-JP"));
    }
    await expect(page.getByText("今日の終わりの時点で課金中の契約の月額換算の合計", { exact: false })).toBeVisible();
    await expect(page.getByRole("figure", { name: "MRR の推移（過去12か月）" }).locator("svg.recharts-surface")).toBeVisible();

    // The numbers behind the MRR chart, a month per row, the last one this month.
    await page.getByRole("figure", { name: "MRR の推移（過去12か月）" }).getByText("数値で見る").click();
    const rows = page.getByTestId("mrr-table").locator("tbody tr");
    await expect(rows).toHaveCount(12);
    await expect(rows.last().locator("th")).toHaveText(figures.months.at(-1)!.month);
    await expect(rows.last().locator("td").first()).toHaveText(yen(figures.mrr));
    await expectAccessible(page);
  });
});
