/**
 * The end user's whole way in, as issue 11 tells it: checkout with 4242 and a mypage password → the welcome mail (as
 * the Resend stand-in received it) → its mypage link → sign-in → the new contract → its receipt as a page and a PDF.
 */
import type { Page } from "@playwright/test";
import { extractText, getDocumentProxy } from "unpdf";
import { SANDBOX_TEST_CARDS } from "@/lib/gateways/sandbox";
import { createCheckoutLink } from "@/lib/services/create-checkout-link";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { expect, test } from "./support/fixtures";
import { inbox } from "./support/inbox";

test.use({ signedInAs: null });

async function checkout(page: Page, linkId: string, email: string, password: string) {
  await page.goto(`/checkout/${linkId}`);
  await page.getByLabel("お名前").fill("通し 花子");
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("マイページのパスワード（任意）").fill(password);
  const frame = page.frameLocator('iframe[title="カード情報の入力（決済代行会社の画面）"]');
  await frame.getByLabel("カード番号").fill(SANDBOX_TEST_CARDS.succeed);
  await frame.getByLabel("有効期限（月）").fill("12");
  await frame.getByLabel("有効期限（年）").fill("35");
  await frame.getByLabel("セキュリティコード").fill("123");
  await frame.getByRole("button", { name: "カードを確認" }).click();
  await expect(page.getByTestId("card-status")).toContainText("4242");
  await page.getByLabel("上記のご契約内容・お支払い条件・解約条件に同意します").check();
  await page.getByRole("button", { name: "同意して申し込む" }).click();
  await expect(page.getByRole("heading", { name: "お申し込みが完了しました" })).toBeVisible();
}

test("checkout → welcome mail → mypage → receipt page and PDF", async ({ page, server }) => {
  const ctx = await server.as("owner");
  const tag = crypto.randomUUID().slice(0, 8);
  const product = await createProduct(ctx, { name: `通し講座 ${tag}` });
  const plan = await createPlan(ctx, { productId: product.id, name: "月額プラン", amount: 2200, interval: "month" });
  const link = await createCheckoutLink(ctx, { planId: plan.id, collect: { phone: false, address: false } });
  const email = `through-${tag}@example.jp`;
  await checkout(page, link.id, email, "through-password-1");

  // The welcome mail's button is the customer's mypage of this merchant.
  await expect.poll(async () => (await inbox(email)).filter((m) => m.subject.includes("お申し込みありがとうございます")).length, { timeout: 20_000 }).toBe(1);
  const welcome = (await inbox(email)).find((m) => m.subject.includes("お申し込みありがとうございます"))!;
  const mypage = [...welcome.html.matchAll(/href="([^"]+)"/g)].map((m) => new URL(m[1]!.replaceAll("&amp;", "&"))).find((url) => url.pathname.startsWith("/mypage/"));
  expect(mypage?.pathname).toBe(`/mypage/${server.merchantId}`);
  await page.goto(`${mypage!.pathname}`);
  await expect(page).toHaveURL(new RegExp(`/mypage/${server.merchantId}/sign-in`));
  const form = page.getByTestId("password-sign-in");
  await form.getByLabel("メールアドレス").fill(email);
  await form.getByLabel("パスワード").fill("through-password-1");
  await form.getByRole("button", { name: "ログイン", exact: true }).click();

  const contract = page.getByTestId("my-contract");
  await expect(contract).toHaveCount(1);
  await expect(contract.getByTestId("my-contract-status")).toHaveText("ご利用中");
  await page.getByRole("link", { name: "領収書", exact: true }).first().click();
  await page.getByTestId("my-receipt").getByRole("link").first().click();
  await expect(page.getByTestId("receipt-total")).toHaveText("¥2,200");
  const pdf = await page.request.get((await page.getByTestId("receipt-pdf").getAttribute("href"))!);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(await pdf.body())), { mergePages: true });
  for (const expected of ["領収書", "通し 花子 様", "¥2,200", "消費税 ¥200"]) expect(text).toContain(expected);
});
