/**
 * The payment link of a mail, opened as the customer would: a renewal whose card's issuer asks for authentication
 * (3-D Secure) on a test clock is past due with no retry, and the customer gets the payment_authentication mail (the
 * server signs its link as it sends it). The page shows the merchant, the amount and the period; 「本人認証して支払う」
 * opens the sandbox issuer's challenge in a frame; failed, it says so and can be tried again; passed, the same charge
 * is paid, the contract is active again, and the link opened again says the invoice is paid. An ended contract's
 * link says it cannot be paid; expired, forged and other-purpose links answer 404 and say which.
 */
import { and, eq } from "drizzle-orm";
import { paymentAttempts, subscriptions } from "@/db/schema";
import { paymentAuthenticationUrl, receiptUrl } from "@/lib/mail/links";
import { cancelSubscription } from "@/lib/services/cancel-subscription";
import type { ServiceContext } from "@/lib/services/context";
import { expect, expectAccessible, test } from "./support/fixtures";
import { declinedRenewal } from "./support/declined-renewal";
import { inbox, linkIn } from "./support/inbox";

test.use({ signedInAs: null });

const DAY = 86_400_000;

/** A contract whose monthly renewal the issuer refused for authentication: past due, ¥3,000 owed, the mail on its way. */
async function awaitingAuthentication(ctx: ServiceContext) {
  const declined = await declinedRenewal(ctx, "authentication_required", "pay link");
  return { ...declined, invoiceId: declined.invoiceId! };
}

async function statusOf(ctx: ServiceContext, id: string) {
  const [row] = await ctx.db.select({ status: subscriptions.status }).from(subscriptions).where(eq(subscriptions.id, id));
  return row!.status;
}

/** The payment link of the mail the customer got, as a path on the test server. */
async function mailedLink(address: string) {
  const subject = "お支払いには本人認証が必要です";
  await expect.poll(async () => (await inbox(address)).some((m) => m.subject.includes(subject)), { timeout: 30_000 }).toBe(true);
  const mail = (await inbox(address)).find((m) => m.subject.includes(subject))!;
  return new URL(linkIn(mail, "/pay/")).pathname;
}

const BUTTON = "本人認証して支払う";
const CHALLENGE = 'iframe[title="カード発行会社の本人認証"]';

test("the link from the mail: the invoice, a failed authentication said, then authenticated and paid once; opened again, already paid", async ({ page, server }) => {
  const ctx = await server.as("owner");
  const { subscription, customer, invoiceId } = await awaitingAuthentication(ctx);
  expect(await statusOf(ctx, subscription.id)).toBe("past_due");
  const link = await mailedLink(customer.email);

  const response = await page.goto(link);
  expect(response!.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "本人認証によるお支払い", level: 1 })).toBeVisible();
  await expect(page.getByText("デモ商店").first()).toBeVisible();
  await expect(page.getByTestId("payment-amount")).toHaveText("¥3,000");
  await expect(page.getByTestId("payment-period")).toContainText("〜");
  await expectAccessible(page);

  // The issuer's challenge, failed: said, nothing paid, and it can be tried again.
  await page.getByRole("button", { name: BUTTON }).click();
  await expect(page.getByText("カード発行会社の本人認証", { exact: true })).toBeVisible();
  await expectAccessible(page);
  await page.frameLocator(CHALLENGE).getByRole("button", { name: "認証に失敗させる" }).click();
  const alert = page.getByTestId("payment-error");
  await expect(alert).toHaveText("本人認証が完了しなかったため、お支払いはまだ済んでいません。もう一度お試しください。");
  await expect(alert).toBeFocused();
  expect(await statusOf(ctx, subscription.id)).toBe("past_due");
  await expectAccessible(page);

  // Passed: the declined charge is paid, the contract is active again.
  await page.getByRole("button", { name: BUTTON }).click();
  await page.frameLocator(CHALLENGE).getByRole("button", { name: "認証する" }).click();
  const done = page.getByTestId("payment-done");
  await expect(done).toContainText("お支払いが完了しました");
  await expect(done).toContainText("¥3,000のお支払いを承りました。");
  expect(await statusOf(ctx, subscription.id)).toBe("active");
  await expectAccessible(page);

  // The link again (a reload): already paid, nothing more charged.
  await page.goto(link);
  await expect(page.getByTestId("payment-paid")).toContainText("お支払い済みです");
  await expect(page.getByRole("button", { name: BUTTON })).toHaveCount(0);
  await expectAccessible(page);
  const succeeded = await ctx.db.select().from(paymentAttempts).where(and(eq(paymentAttempts.invoiceId, invoiceId), eq(paymentAttempts.status, "succeeded")));
  expect(succeeded.map((a) => a.trigger)).toEqual(["authentication"]);
});

test("an ended contract's link says it cannot be paid; expired, forged and other-purpose links answer 404 and say which", async ({ page, server }) => {
  const ctx = await server.as("owner");
  const { subscription, invoiceId } = await awaitingAuthentication(ctx);
  const links = server.platform.links;
  const path = (url: string) => new URL(url).pathname;
  const invoice = { merchantId: server.merchantId, invoiceId };

  const expired = await page.goto(path(await paymentAuthenticationUrl(links, invoice, new Date(Date.now() - 8 * DAY))));
  expect(expired!.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "このリンクは有効期限が切れています", level: 1 })).toBeVisible();
  await expect(page.getByTestId("link-refused-en")).toContainText("This link has expired");
  await expect(page.getByText("¥3,000")).toHaveCount(0);
  await expectAccessible(page);

  const good = path(await paymentAuthenticationUrl(links, invoice, new Date()));
  const forged = `${good.slice(0, -3)}${good.endsWith("AAA") ? "BBB" : "AAA"}`;
  const receipt = path(await receiptUrl(links, invoice, new Date())).replace("/r/", "/pay/");
  for (const url of [forged, "/pay/nonsense", receipt]) {
    const response = await page.goto(url);
    expect(response!.status(), url).toBe(404);
    await expect(page.getByRole("heading", { name: "このリンクは無効です", level: 1 })).toBeVisible();
    await expect(page.getByText("¥3,000")).toHaveCount(0);
  }
  await expectAccessible(page);

  await cancelSubscription(ctx, { subscriptionId: subscription.id, atPeriodEnd: false });
  await page.goto(good);
  await expect(page.getByTestId("payment-ended")).toContainText("このご請求はお支払いいただけません");
  await expect(page.getByRole("button", { name: BUTTON })).toHaveCount(0);
  await expectAccessible(page);
});
