/**
 * The card-update link of a mail, opened as the customer would: the link is taken from the mail the customer got (the
 * charge-failed mail of a contract whose renewal was declined on a test clock, signed by the server as it sent it),
 * the page shows the contract and what it owes, the card is typed into the gateway's card form in a frame (the page's
 * own server action gets only a token), a declined card says why and asks for another, 3-D Secure approved pays what
 * is owed, failed says so, and a good card pays what is owed and the contract is active again.
 * Expired, forged and other-purpose links answer 404 with a page that says which, in Japanese first.
 */
import type { Page } from "@playwright/test";
import { eq } from "drizzle-orm";
import { subscriptions } from "@/db/schema";
import { SANDBOX_TEST_CARDS } from "@/lib/gateways/sandbox-cards";
import { cardUpdateUrl, receiptUrl } from "@/lib/mail/links";
import { cancelSubscription } from "@/lib/services/cancel-subscription";
import type { ServiceContext } from "@/lib/services/context";
import { expect, expectAccessible, test } from "./support/fixtures";
import { declinedRenewal } from "./support/declined-renewal";
import { inbox, linkIn } from "./support/inbox";

test.use({ signedInAs: null });

const DAY = 86_400_000;

/** A contract whose monthly renewal was declined: past due, ¥3,000 owed, its charge-failed mail on its way. */
const pastDueContract = (ctx: ServiceContext) => declinedRenewal(ctx, "insufficient_funds", "card link");

async function statusOf(ctx: ServiceContext, id: string) {
  const [row] = await ctx.db.select({ status: subscriptions.status }).from(subscriptions).where(eq(subscriptions.id, id));
  return row!.status;
}

/** The card typed into the gateway's card form (its own page in a frame), which hands the page a token. */
async function enterCard(page: Page, number: string) {
  const frame = page.frameLocator('iframe[title="カード情報の入力（決済代行会社の画面）"]');
  await frame.getByLabel("カード番号").fill(number);
  await frame.getByLabel("有効期限（月）").fill("12");
  await frame.getByLabel("有効期限（年）").fill("35");
  await frame.getByLabel("セキュリティコード").fill("123");
  await frame.getByRole("button", { name: "カードを確認" }).click();
  await expect(page.getByTestId("card-status")).toHaveText(`末尾 ${number.slice(-4)} のカードを登録します`);
}

/**
 * The card-update link of a past-due contract's charge-failed mail, as the customer got it (the server under test
 * signs it when it sends the mail), as a path on the test server.
 */
async function mailedLink(address: string) {
  await expect.poll(async () => (await inbox(address)).some((m) => m.subject.includes("お支払いができませんでした")), { timeout: 30_000 }).toBe(true);
  const failed = (await inbox(address)).find((m) => m.subject.includes("お支払いができませんでした"))!;
  const sent = new URL(linkIn(failed, "/mypage/card"));
  return `${sent.pathname}${sent.search}`;
}

const PAY = "カードを登録して ¥3,000 を支払う";

test("a past-due contract's card link from the outbox: a declined card is explained, a good one pays what is owed", async ({ page, server }) => {
  const ctx = await server.as("owner");
  const { subscription, customer } = await pastDueContract(ctx);
  expect(await statusOf(ctx, subscription.id)).toBe("past_due");
  const link = await mailedLink(customer.email);
  // What the page itself posts (its server action): never a card number, only the gateway's token.
  const pagePosts: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && new URL(r.url()).pathname === "/mypage/card") pagePosts.push(r.postData() ?? "");
  });

  const response = await page.goto(link);
  expect(response!.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "カード情報の更新", level: 1 })).toBeVisible();
  await expect(page.getByText("デモ商店").first()).toBeVisible();
  await expect(page.getByTestId("contract-status")).toHaveText("お支払いが確認できていません");
  await expect(page.getByTestId("owed")).toContainText("お支払いいただいていない ¥3,000 があります");
  await expect(page.getByTestId("card-on-file")).toContainText("VISA •••• 4242");
  await expectAccessible(page);

  // Sent before a card is entered: it asks for one.
  await page.getByRole("button", { name: PAY }).click();
  await expect(page.getByTestId("card-error")).toHaveText("カード情報を入力し「カードを確認」を押してから登録してください。");

  // Insufficient funds: the card is saved but the ¥3,000 is not paid; the card form is back for another card.
  await enterCard(page, SANDBOX_TEST_CARDS.insufficientFunds);
  await page.getByRole("button", { name: PAY }).click();
  const alert = page.getByTestId("card-error");
  await expect(alert).toHaveText(/カードは登録しましたが、¥3,000 のお支払いは完了しませんでした。カードのご利用可能額が不足しています。/);
  await expect(alert).toBeFocused();
  await expect(page.getByTestId("card-status")).toHaveText(/カード情報を入力し「カードを確認」を押してください。/);
  expect(await statusOf(ctx, subscription.id)).toBe("past_due");
  await expectAccessible(page);

  // A good card: paid at once, active again.
  await enterCard(page, SANDBOX_TEST_CARDS.succeed);
  await page.getByRole("button", { name: PAY }).click();
  const done = page.getByTestId("card-updated");
  await expect(done).toContainText("カード情報を更新しました");
  await expect(done).toContainText("未払いだった ¥3,000 を新しいカードで決済しました。");
  await expect(done).toContainText("ご契約の状態: ご利用中");
  await expect(page.getByTestId("contract-status")).toHaveText("ご利用中");
  await expect(page.getByTestId("owed")).toHaveCount(0);
  expect(await statusOf(ctx, subscription.id)).toBe("active");
  await expectAccessible(page);
  expect(pagePosts.length).toBeGreaterThanOrEqual(3);
  for (const body of pagePosts) expect(body).not.toMatch(/4242424242424242|4000000000009995/);

  // The link opened again: nothing is owed, the form would just change the card.
  await page.goto(link);
  await expect(page.getByRole("button", { name: "カードを登録する" })).toBeVisible();
  await expect(page.getByTestId("card-on-file")).toContainText("•••• 4242（有効期限 12/35）");
});

test("3-D Secure approved: the issuer's challenge, then the card is saved and what is owed is paid at once", async ({ page, server }) => {
  const ctx = await server.as("owner");
  const { subscription, customer } = await pastDueContract(ctx);
  await page.goto(await mailedLink(customer.email));
  await enterCard(page, SANDBOX_TEST_CARDS.authenticationRequired);
  await page.getByRole("button", { name: PAY }).click();
  const challenge = page.frameLocator('iframe[title="カード発行会社の本人認証画面"]');
  await expect(page.getByText("カードの本人認証（3-Dセキュア）", { exact: true })).toBeVisible();
  await expectAccessible(page);
  expect(await statusOf(ctx, subscription.id)).toBe("past_due");
  await challenge.getByRole("button", { name: "認証する" }).click();
  const done = page.getByTestId("card-updated");
  await expect(done).toContainText("新しいカード: VISA •••• 3155");
  await expect(done).toContainText("未払いだった ¥3,000 を新しいカードで決済しました。");
  await expect(page.getByTestId("contract-status")).toHaveText("ご利用中");
  expect(await statusOf(ctx, subscription.id)).toBe("active");
});

test("3-D Secure failed: a clear message, nothing saved, and another card can be tried", async ({ page, server }) => {
  const ctx = await server.as("owner");
  const { subscription, customer } = await pastDueContract(ctx);
  await page.goto(await mailedLink(customer.email));
  await enterCard(page, SANDBOX_TEST_CARDS.authenticationRequired);
  await page.getByRole("button", { name: PAY }).click();
  await page.frameLocator('iframe[title="カード発行会社の本人認証画面"]').getByRole("button", { name: "認証に失敗させる" }).click();
  await expect(page.getByTestId("card-error")).toHaveText(/^カードの本人認証（3-Dセキュア）が完了しませんでした。カードは登録していません。/);
  await expect(page.getByTestId("card-on-file")).toContainText("VISA •••• 4242");
  expect(await statusOf(ctx, subscription.id)).toBe("past_due");
  await expectAccessible(page);
  await enterCard(page, "5555555555554444");
  await page.getByRole("button", { name: PAY }).click();
  await expect(page.getByTestId("card-updated")).toContainText("新しいカード: MASTERCARD •••• 4444");
  expect(await statusOf(ctx, subscription.id)).toBe("active");
});

test("a card refused when saved is explained; a canceled contract's card cannot be changed", async ({ page, server }) => {
  const ctx = await server.as("owner");
  const { subscription } = await pastDueContract(ctx);
  const links = server.platform.links;
  const path = (url: string) => url.slice(url.indexOf("/mypage"));
  await page.goto(path(await cardUpdateUrl(links, { merchantId: server.merchantId, subscriptionId: subscription.id }, new Date())));
  await enterCard(page, SANDBOX_TEST_CARDS.declineOnAttach);
  await page.getByRole("button", { name: /カードを登録して/ }).click();
  await expect(page.getByTestId("card-error")).toHaveText(/^このカードは登録できませんでした。カード会社によりお取引が承認されませんでした。/);
  await expect(page.getByTestId("card-fields")).toBeVisible();
  expect(await statusOf(ctx, subscription.id)).toBe("past_due");

  await cancelSubscription(ctx, { subscriptionId: subscription.id, atPeriodEnd: false });
  await page.goto(path(await cardUpdateUrl(links, { merchantId: server.merchantId, subscriptionId: subscription.id }, new Date())));
  await expect(page.getByTestId("contract-status")).toHaveText("解約済み");
  await expect(page.getByTestId("card-not-changeable")).toHaveText(/このご契約は解約済みのため、カード情報を変更できません。/);
  await expect(page.getByRole("button", { name: /カードを登録/ })).toHaveCount(0);
  await expect(page.getByTestId("card-fields")).toHaveCount(0);
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
