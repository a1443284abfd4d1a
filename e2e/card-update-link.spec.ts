/**
 * The card-update link of a mail, opened as the customer would: the link is taken from the outbox (the charge-failed
 * mail of a contract whose renewal was declined on a test clock), the page shows the contract and what it owes, a
 * declined card keeps what was typed and says why, a good card pays what is owed and the contract is active again.
 * Expired, forged and other-purpose links answer 404 with a page that says which, in Japanese first.
 */
import { randomUUID } from "node:crypto";
import type { CDPSession, Page } from "@playwright/test";
import { and, eq } from "drizzle-orm";
import { mails, subscriptions } from "@/db/schema";
import { cardUpdateUrl, receiptUrl } from "@/lib/mail/links";
import { addPaymentMethod } from "@/lib/services/add-payment-method";
import { advanceTestClock } from "@/lib/services/advance-test-clock";
import { cancelSubscription } from "@/lib/services/cancel-subscription";
import type { ServiceContext } from "@/lib/services/context";
import { createCustomer } from "@/lib/services/create-customer";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { createSubscription } from "@/lib/services/create-subscription";
import { createTestClock } from "@/lib/services/create-test-clock";
import { expect, expectAccessible, test } from "./support/fixtures";

test.use({ signedInAs: null });

const DAY = 86_400_000;

/** A contract whose monthly renewal was declined: past due, ¥3,000 owed, its charge-failed mail in the outbox. */
async function pastDueContract(ctx: ServiceContext) {
  const start = new Date(Math.floor(Date.now() / 1000) * 1000);
  const clock = await createTestClock(ctx, { frozenTime: start, name: `card link ${randomUUID().slice(0, 6)}` });
  const product = await createProduct(ctx, { name: `英会話 ${randomUUID().slice(0, 6)}` });
  const plan = await createPlan(ctx, { amount: 3000, interval: "month", productId: product.id, name: "月謝プラン" });
  const customer = await createCustomer(ctx, { email: `${randomUUID()}@card-link.e2e.test`, name: "リンク 花子", testClockId: clock.id });
  const controls = ctx.gateways.byName("sandbox")!.testControls!;
  const token = await controls.createToken({ number: "4242424242424242", expMonth: 12, expYear: 2035, cvc: "123" }, start);
  const card = await addPaymentMethod(ctx, { customerId: customer.id, token: token.id });
  const subscription = await createSubscription(ctx, { customerId: customer.id, planId: plan.id });
  await controls.setCardBehavior(card.gatewayRef, "insufficient_funds");
  await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: new Date(start.getTime() + 33 * DAY) });
  return { subscription, customer, product };
}

async function statusOf(ctx: ServiceContext, id: string) {
  const [row] = await ctx.db.select({ status: subscriptions.status }).from(subscriptions).where(eq(subscriptions.id, id));
  return row!.status;
}

/** Chromium's IME: a composition shown in the field, then the converted text committed. */
async function imeType(cdp: CDPSession, reading: string, converted: string, beforeCommit: () => Promise<void>) {
  for (let i = 1; i <= reading.length; i++) await cdp.send("Input.imeSetComposition", { text: reading.slice(0, i), selectionStart: i, selectionEnd: i });
  await cdp.send("Input.imeSetComposition", { text: converted, selectionStart: converted.length, selectionEnd: converted.length });
  await beforeCommit();
  await cdp.send("Input.insertText", { text: converted });
}

async function fillCard(page: Page, number: string) {
  await page.getByLabel("カード番号").fill(number);
  await page.getByLabel("月（MM）").fill("12");
  await page.getByLabel("年（YY）").fill("34");
  await page.getByLabel("セキュリティコード").fill("123");
}

test("a past-due contract's card link from the outbox: a declined card is explained, a good one pays what is owed", async ({ page, server }) => {
  const ctx = await server.as("owner");
  const { subscription } = await pastDueContract(ctx);
  expect(await statusOf(ctx, subscription.id)).toBe("past_due");
  const [mail] = await ctx.db.select().from(mails).where(and(eq(mails.subscriptionId, subscription.id), eq(mails.template, "charge_failed")));
  // The mail was written by this process (it advanced the clock), whose base URL is not the test server's.
  const sent = new URL(mail!.variables.card_update_url!);
  expect(sent.pathname).toBe("/mypage/card");
  const link = `${sent.pathname}${sent.search}`;

  const response = await page.goto(link);
  expect(response!.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "カード情報の更新", level: 1 })).toBeVisible();
  await expect(page.getByText("デモ商店").first()).toBeVisible();
  await expect(page.getByTestId("contract-status")).toHaveText("お支払いが確認できていません");
  await expect(page.getByTestId("owed")).toContainText("お支払いいただいていない ¥3,000 があります");
  await expect(page.getByTestId("card-on-file")).toContainText("VISA •••• 4242");
  await expectAccessible(page);

  // The cardholder's name through an IME: the Enter that confirms the conversion does not send the form.
  await fillCard(page, "4000 0000 0000 9995");
  const name = page.getByLabel("カード名義");
  await name.focus();
  const posts: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST") posts.push(r.url());
  });
  const cdp = await page.context().newCDPSession(page);
  await imeType(cdp, "りんく", "リンク", async () => {
    await cdp.send("Input.dispatchKeyEvent", { type: "keyDown", key: "Enter", code: "Enter", windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229, text: "\r", unmodifiedText: "\r" });
    await cdp.send("Input.dispatchKeyEvent", { type: "keyUp", key: "Enter", code: "Enter", windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229 });
    await page.waitForTimeout(500);
    expect(posts).toEqual([]);
  });
  await name.pressSequentially(" HANAKO");
  await expect(name).toHaveValue("リンク HANAKO");

  // Insufficient funds: the card is saved but the ¥3,000 is not paid; the form keeps what was typed.
  await page.getByRole("button", { name: "カードを登録して ¥3,000 を支払う" }).click();
  const numberError = page.locator("#number-error");
  await expect(numberError).toHaveText(/カードは登録しましたが、¥3,000 のお支払いは完了しませんでした。カードのご利用可能額が不足しています。/);
  await expect(page.getByLabel("カード番号")).toBeFocused();
  await expect(page.getByLabel("カード番号")).toHaveAttribute("aria-invalid", "true");
  await expect(name).toHaveValue("リンク HANAKO");
  await expect(page.getByLabel("月（MM）")).toHaveValue("12");
  expect(await statusOf(ctx, subscription.id)).toBe("past_due");
  await expectAccessible(page);

  // A good card (typed with full-width digits): paid at once, active again.
  await page.getByLabel("カード番号").fill("４２４２ ４２４２ ４２４２ ４２４２");
  await page.getByRole("button", { name: "カードを登録して ¥3,000 を支払う" }).click();
  const done = page.getByTestId("card-updated");
  await expect(done).toContainText("カード情報を更新しました");
  await expect(done).toContainText("未払いだった ¥3,000 を新しいカードで決済しました。");
  await expect(done).toContainText("ご契約の状態: ご利用中");
  await expect(page.getByTestId("contract-status")).toHaveText("ご利用中");
  await expect(page.getByTestId("owed")).toHaveCount(0);
  expect(await statusOf(ctx, subscription.id)).toBe("active");
  await expectAccessible(page);

  // The link opened again: nothing is owed, the form would just change the card.
  await page.goto(link);
  await expect(page.getByRole("button", { name: "カードを登録する" })).toBeVisible();
  await expect(page.getByTestId("card-on-file")).toContainText("•••• 4242（有効期限 12/34）");
});

test("a wrong field is named and keeps the rest; a canceled contract's card cannot be changed", async ({ page, server }) => {
  const ctx = await server.as("owner");
  const { subscription } = await pastDueContract(ctx);
  const links = server.platform.links;
  const path = (url: string) => url.slice(url.indexOf("/mypage"));
  await page.goto(path(await cardUpdateUrl(links, { merchantId: server.merchantId, subscriptionId: subscription.id }, new Date())));
  await fillCard(page, "4242 4242 4242 4241");
  await page.getByLabel("カード名義").fill("HANAKO LINK");
  await page.getByRole("button", { name: /カードを登録して/ }).click();
  await expect(page.locator("#number-error")).toHaveText("カード番号を正しく入力してください。");
  await expect(page.getByLabel("カード名義")).toHaveValue("HANAKO LINK");
  // A card refused when it is saved.
  await page.getByLabel("カード番号").fill("4000000000000002");
  await page.getByRole("button", { name: /カードを登録して/ }).click();
  await expect(page.locator("#number-error")).toHaveText(/^このカードは登録できませんでした。カード会社によりお取引が承認されませんでした。/);

  await cancelSubscription(ctx, { subscriptionId: subscription.id, atPeriodEnd: false });
  await page.goto(path(await cardUpdateUrl(links, { merchantId: server.merchantId, subscriptionId: subscription.id }, new Date())));
  await expect(page.getByTestId("contract-status")).toHaveText("解約済み");
  await expect(page.getByTestId("card-not-changeable")).toHaveText(/このご契約は解約済みのため、カード情報を変更できません。/);
  await expect(page.getByRole("button", { name: /カードを登録/ })).toHaveCount(0);
  await expectAccessible(page);
});

test("expired, forged and other-purpose links answer 404 and say which, revealing nothing", async ({ page, server }) => {
  const ctx = await server.as("owner");
  const { subscription } = await pastDueContract(ctx);
  const links = server.platform.links;
  const path = (url: string) => url.slice(url.indexOf("/mypage"));
  const contract = { merchantId: server.merchantId, subscriptionId: subscription.id };

  const expired = await page.goto(path(await cardUpdateUrl(links, contract, new Date(Date.now() - 8 * DAY))));
  expect(expired!.status()).toBe(404);
  await expect(page).toHaveURL(/\/mypage\/card\/expired$/);
  await expect(page.getByRole("heading", { name: "このリンクの有効期限が切れています", level: 1 })).toBeVisible();
  await expect(page.getByTestId("link-refused-en")).toContainText("This link has expired");
  await expect(page.getByText("リンク 花子")).toHaveCount(0);
  await expectAccessible(page);

  const good = path(await cardUpdateUrl(links, contract, new Date()));
  const forged = `${good.slice(0, -3)}${good.endsWith("AAA") ? "BBB" : "AAA"}`;
  for (const url of [forged, "/mypage/card", "/mypage/card?token=nonsense", `/mypage/card?token=${(await receiptUrl(links, { merchantId: server.merchantId, invoiceId: "in_x" }, new Date())).split("/r/")[1]}`]) {
    const response = await page.goto(url);
    expect(response!.status(), url).toBe(404);
    await expect(page.getByRole("heading", { name: "このリンクは無効です", level: 1 })).toBeVisible();
    await expect(page.getByText("リンク 花子")).toHaveCount(0);
  }
  await expectAccessible(page);
});
