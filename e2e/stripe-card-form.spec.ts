/**
 * The card form of a merchant charging through Stripe, in the browser. Stripe.js cannot load here (js.stripe.com is
 * unreachable; the test also refuses its requests, so that the result does not depend on the network): the checkout
 * page shows Stripe's slot, then says the card fields could not be loaded and keeps 「同意して申し込む」 disabled with
 * the reason; so does the card page of a contract. A Stripe account without a publishable key says no card can be taken, and the console warns its staff.
 * The page Stripe's 3-D Secure returns the frame to posts the outcome to the page that frames it (our origin only).
 * What happens at Stripe is tested on the server side against a stand-in (lib/services/stripe-gateway.test.ts);
 * the sandbox's card form, which shares the client interface, goes through checkout.spec.ts and card-update-link.spec.ts.
 */
import type { Page } from "@playwright/test";
import { SANDBOX_TEST_CARDS } from "@/lib/gateways/sandbox-cards";
import { cardUpdateUrl } from "@/lib/mail/links";
import { addPaymentMethod } from "@/lib/services/add-payment-method";
import { createCheckoutLink } from "@/lib/services/create-checkout-link";
import { createCustomer } from "@/lib/services/create-customer";
import { createMerchant } from "@/lib/services/create-merchant";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { createSubscription } from "@/lib/services/create-subscription";
import { staffContext } from "@/lib/services/contexts";
import { clearStripeCredential, setStripeCredential } from "@/lib/services/stripe-credentials";
import { expect, expectAccessible, test, type ServerData } from "./support/fixtures";

test.use({ signedInAs: null });

/** A merchant of its own (its owner's context) with a monthly plan, and a way to give it Stripe keys. */
async function newMerchant(server: ServerData) {
  const tag = crypto.randomUUID().slice(0, 8);
  const made = await createMerchant({ ...server.platform, actor: { type: "operator", id: null } }, { name: `Stripe 商店 ${tag}`, email: `stripe-${tag}@merchant.test`, password: "stripe-password-1" });
  const owner = staffContext(server.platform, { merchantId: made.merchantId, staffUserId: made.staffUserId, role: "owner" });
  const product = await createProduct(owner, { name: `英会話 ${tag}` });
  const plan = await createPlan(owner, { productId: product.id, amount: 5500, interval: "month" });
  const useStripe = async (keys: { publishableKey: boolean }) => {
    await setStripeCredential(owner, { name: "secretKey", value: `sk_test_51E2eCardForm${tag}` });
    if (keys.publishableKey) await setStripeCredential(owner, { name: "publishableKey", value: `pk_test_51E2eCardForm${tag}` });
  };
  return { owner, plan, tag, useStripe };
}

/** A checkout link of a merchant charging through Stripe with these keys. */
async function stripeMerchantLink(server: ServerData, keys: { publishableKey: boolean }) {
  const { owner, plan, useStripe } = await newMerchant(server);
  await useStripe(keys);
  return createCheckoutLink(owner, { planId: plan.id });
}

/** Stripe.js's script and frames: refused, as this machine's network would (and any other network might not). */
async function withoutStripeJs(page: Page) {
  const asked: string[] = [];
  await page.route(/^https:\/\/(js|m|api|hooks)\.stripe\.com\//, (route) => {
    asked.push(route.request().url());
    return route.abort("internetdisconnected");
  });
  return asked;
}

test("a Stripe merchant's checkout shows Stripe's card slot; Stripe.js cannot load: the customer is told, and the form cannot be sent", async ({ page, server }) => {
  const link = await stripeMerchantLink(server, { publishableKey: true });
  const asked = await withoutStripeJs(page);
  await page.goto(`/checkout/${link.id}`);
  await expect(page.getByRole("heading", { name: "お申し込み内容の確認" })).toBeVisible();
  await expect(page.getByTestId("card-status")).toHaveText("カード情報を入力し「このカードを使う」を押してください。");
  await expect(page.getByTestId("card-fields-error")).toHaveText("カード入力欄を読み込めませんでした。通信環境をご確認のうえ、ページを再読み込みしてください。");
  expect(asked.some((url) => url.startsWith("https://js.stripe.com/"))).toBe(true);
  // The sandbox's frame is not offered in its place: its tokens would be refused at Stripe.
  await expect(page.locator('iframe[title="カード情報の入力（決済代行会社の画面）"]')).toHaveCount(0);
  const submit = page.getByRole("button", { name: "同意して申し込む" });
  await expect(submit).toBeDisabled();
  await expect(submit).toHaveAccessibleDescription("カード情報を入力できないため、送信できません。");
  await expectAccessible(page);

  // In English, too.
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByTestId("card-fields-error")).toHaveText("The card fields could not be loaded. Please check your connection and reload the page.");
  await expect(page.getByTestId("card-submit-blocked")).toHaveText("This cannot be sent because the card details cannot be entered.");
});

test("a Stripe merchant without a publishable key: the page says no card can be taken here, and the form cannot be sent", async ({ page, server }) => {
  const link = await stripeMerchantLink(server, { publishableKey: false });
  const asked = await withoutStripeJs(page);
  await page.goto(`/checkout/${link.id}`);
  await expect(page.getByTestId("card-fields-unavailable")).toContainText("このお店は現在、この画面でカード情報を受け付けられません");
  await expect(page.getByRole("button", { name: "同意して申し込む" })).toBeDisabled();
  await expect(page.getByTestId("card-submit-blocked")).toBeVisible();
  expect(asked).toEqual([]);
  await expectAccessible(page);
});

test("the card page of a contract whose merchant has moved to Stripe shows Stripe's slot, with the same message when Stripe.js cannot load", async ({ page, server }) => {
  const { owner, plan, tag, useStripe } = await newMerchant(server);
  // The contract's first card was saved at the sandbox before the merchant entered its Stripe keys.
  const customer = await createCustomer(owner, { name: `切替 花子 ${tag}`, email: `switch-${tag}@example.jp` });
  const token = await server.platform.gateways.primary.testControls!.createToken({ number: SANDBOX_TEST_CARDS.succeed, expMonth: 12, expYear: 2035, cvc: "123" }, new Date());
  await addPaymentMethod(owner, { customerId: customer.id, token: token.id });
  const subscription = await createSubscription(owner, { customerId: customer.id, planId: plan.id });
  await useStripe({ publishableKey: true });

  await withoutStripeJs(page);
  const url = await cardUpdateUrl(server.platform.links, { merchantId: owner.merchantId, subscriptionId: subscription.id }, new Date());
  await page.goto(url.slice(url.indexOf("/mypage")));
  await expect(page.getByTestId("card-on-file")).toContainText("4242");
  await expect(page.getByTestId("card-fields-error")).toHaveText("カード入力欄を読み込めませんでした。通信環境をご確認のうえ、ページを再読み込みしてください。");
  await expect(page.getByRole("button", { name: "カードを登録する" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "カードを登録する" })).toHaveAccessibleDescription("カード情報を入力できないため、送信できません。");
  // The sandbox's test-card hint is for the sandbox's form only.
  await expect(page.getByText("テスト環境です。")).toHaveCount(0);
  await expectAccessible(page);
});

test("Stripe's 3-D Secure return page posts the outcome to the page that frames it, and says the authentication is over when opened alone", async ({ page }) => {
  await page.goto("/card-fields/stripe-return?setup_intent=seti_e2e&redirect_status=succeeded");
  await expect(page.getByTestId("stripe-return")).toHaveText("本人認証が終わりました。このページを閉じて、お手続きの画面に戻ってください。");
  await expectAccessible(page);

  // Framed by a page of our origin, as CardChallenge frames it once Stripe has returned the frame: the answer is posted there.
  const received = await page.evaluate(
    (src) =>
      new Promise<{ data: unknown; origin: string; fromFrame: boolean }>((resolve) => {
        const frame = document.createElement("iframe");
        frame.title = "challenge";
        window.addEventListener("message", (event) => resolve({ data: event.data, origin: event.origin, fromFrame: event.source === frame.contentWindow }));
        frame.src = src;
        document.body.append(frame);
      }),
    "/card-fields/stripe-return?setup_intent=seti_e2e&redirect_status=failed",
  );
  expect(received).toEqual({ data: { source: "keizoku-card-fields", type: "challenge", outcome: "failed" }, origin: new URL(page.url()).origin, fromFrame: true });
  await expect(page.frameLocator('iframe[title="challenge"]').getByTestId("stripe-return")).toHaveText("本人認証の結果を確認しています…");
});

test.describe("the console", () => {
  test.use({ signedInAs: "owner" });

  test("warns an owner whose Stripe account has no publishable key that checkout and card pages cannot take cards", async ({ page, server }) => {
    const owner = await server.as("owner");
    try {
      await setStripeCredential(owner, { name: "secretKey", value: "sk_test_51E2eWarnPublishable0000" });
      await page.goto("/console/settings/billing");
      await expect(page.getByTestId("stripe-publishable-key-needed")).toContainText("公開可能キーが設定されていないため");
      await expectAccessible(page);
      await setStripeCredential(owner, { name: "publishableKey", value: "pk_test_51E2eWarnPublishable0000" });
      await page.reload();
      await expect(page.getByTestId("stripe-credentials")).toBeVisible();
      await expect(page.getByTestId("stripe-publishable-key-needed")).toHaveCount(0);
    } finally {
      await clearStripeCredential(owner, { name: "secretKey" });
      await clearStripeCredential(owner, { name: "publishableKey" });
    }
  });
});
