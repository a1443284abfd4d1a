import { randomUUID } from "node:crypto";
import { SANDBOX_TEST_CARDS } from "@/lib/gateways/sandbox-cards";
import { addPaymentMethod } from "@/lib/services/add-payment-method";
import { cancelSubscription } from "@/lib/services/cancel-subscription";
import type { ServiceContext } from "@/lib/services/context";
import { createCustomer } from "@/lib/services/create-customer";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { createSubscription } from "@/lib/services/create-subscription";
import { type ServerData, expect, expectAccessible, test } from "./support/fixtures";

/**
 * 「この先12か月」 on the contract page: the forecast's charges, the 「カードが失敗した場合」 toggle (kept in the URL)
 * with the retries, notices and withdrawal it shows, the note on usage, and the empty state of an ended contract.
 */

async function seedMonthly(ctx: ServiceContext, server: Pick<ServerData, "platform">) {
  const tag = randomUUID().slice(0, 8);
  const product = await createProduct(ctx, { name: `予測テスト講座 ${tag}` });
  const plan = await createPlan(ctx, { productId: product.id, name: `月額 ${tag}`, amount: 3000, interval: "month", usageRates: [{ metric: "api_calls", unitAmount: 10 }] });
  const customer = await createCustomer(ctx, { name: `予測 花子 ${tag}`, email: `future-${tag}@example.jp` });
  const token = await server.platform.gateways.primary.testControls!.createToken({ number: SANDBOX_TEST_CARDS.succeed, expMonth: 12, expYear: 2035, cvc: "123" }, new Date());
  const card = await addPaymentMethod(ctx, { customerId: customer.id, token: token.id });
  return createSubscription(ctx, { customerId: customer.id, planId: plan.id, paymentMethodId: card.id });
}

test.describe("the next 12 months of a contract", () => {
  test("shows the renewals, then with a failing card the retries, notices and withdrawal; an ended contract has none", async ({ page, server }) => {
    test.setTimeout(60_000);
    const ctx = await server.as("owner");
    const subscription = await seedMonthly(ctx, server);
    await page.goto(`/console/subscriptions/${subscription.id}`);
    const section = page.getByRole("region", { name: "この先12か月" });
    await expect(section).toBeVisible();
    await expect(section.getByTestId("future-summary")).toHaveText("請求 12回・合計 ¥36,000");
    await expect(section.getByTestId("future-charge")).toHaveCount(12);
    await expect(section.getByTestId("future-charge").first()).toContainText("継続課金");
    await expect(section.getByTestId("future-charge").first()).toContainText("¥3,000");
    await expect(section).toContainText("従量課金の利用分は予測できないため、金額に含まれていません");
    await expectAccessible(page);

    await section.getByLabel("カードが失敗した場合").click();
    await expect(page).toHaveURL(/cardFails=true/);
    await expect(section.getByTestId("future-summary")).toHaveText("この期間に成功する請求はありません。");
    await expect(section.getByTestId("future-charge")).toHaveCount(3);
    await expect(section.getByTestId("future-charge").nth(1)).toContainText("再決済（2回目）");
    await expect(section.getByTestId("future-charge").nth(1)).toContainText("失敗");
    await expect(section.getByTestId("future-mail")).toHaveText([/未払いのお知らせ/, /最終のお知らせ/, /退会のお知らせ/]);
    await expect(section.getByTestId("future-status").last()).toContainText("決済エラー → 退会");
    await expectAccessible(page);

    // The toggle's state is the URL's: a reload keeps it, and the keyboard turns it off again.
    await page.reload();
    await expect(section.getByLabel("カードが失敗した場合")).toBeChecked();
    await section.getByLabel("カードが失敗した場合").focus();
    await page.keyboard.press("Space");
    await expect(page).not.toHaveURL(/cardFails/);
    await expect(section.getByTestId("future-charge")).toHaveCount(12);

    await cancelSubscription(ctx, { subscriptionId: subscription.id, atPeriodEnd: false });
    await page.reload();
    await expect(section).toContainText("この契約は終了しています。この先の請求はありません。");
    await expect(section.getByLabel("カードが失敗した場合")).toHaveCount(0);
  });
});
