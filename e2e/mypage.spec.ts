/**
 * The end user's mypage (/mypage/<merchant id>/…), in a real browser against `next start`: sign-in by password and by
 * a mailed one-time link (read from the Resend stand-in the server delivers to through the official SDK), contracts,
 * receipts as a page and a PDF (its text extracted with unpdf), cancel with a reason (the console shows it), resume,
 * pause where the merchant allows it, another customer's ids answering 404, the staff session counting for nothing
 * here, and sign-in throttling.
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Page } from "@playwright/test";
import { extractText, getDocumentProxy } from "unpdf";
import { customers, merchants, signInThrottles } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { addPaymentMethod } from "@/lib/services/add-payment-method";
import type { ServiceContext } from "@/lib/services/context";
import { createCustomer } from "@/lib/services/create-customer";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { createSubscription } from "@/lib/services/create-subscription";
import type { StandInMessage } from "@/test/support/resend-stand-in";
import { expect, expectAccessible, test } from "./support/fixtures";
import { inbox } from "./support/inbox";
import { storageStateOf } from "./support/server-data";

test.use({ signedInAs: null });

const PASSWORD = "correct horse battery";

/** A member with a password (or none) on a ¥1,100 (10 % inclusive) monthly plan, charged at sign-up: one receipt. */
async function member(ctx: ServiceContext, options: { password?: boolean } = {}) {
  const tag = randomUUID().slice(0, 8);
  const product = await createProduct(ctx, { name: `ヨガ教室 ${tag}` });
  const plan = await createPlan(ctx, { productId: product.id, name: "月4回コース", amount: 1100, interval: "month", taxBehavior: "inclusive", taxRate: 10 });
  const email = `member-${tag}@mypage.e2e.test`;
  const customer = await createCustomer(ctx, { email, name: "会員 花子" });
  if (options.password !== false) await ctx.db.update(customers).set({ passwordHash: await hashPassword(PASSWORD) }).where(eq(customers.id, customer.id));
  const token = await ctx.gateways.byName("sandbox")!.testControls!.createToken({ number: "4242424242424242", expMonth: 12, expYear: 2035, cvc: "123" }, ctx.clock.now());
  await addPaymentMethod(ctx, { customerId: customer.id, token: token.id });
  const subscription = await createSubscription(ctx, { customerId: customer.id, planId: plan.id });
  return { email, customer, subscription, product, plan };
}

async function signIn(page: Page, merchantId: string, email: string) {
  await page.goto(`/mypage/${merchantId}/sign-in`);
  const form = page.getByTestId("password-sign-in");
  await form.getByLabel("メールアドレス").fill(email);
  await form.getByLabel("パスワード").fill(PASSWORD);
  await form.getByRole("button", { name: "ログイン", exact: true }).click();
  await expect(page.getByRole("heading", { name: "ご契約一覧", level: 1 })).toBeVisible();
}

function linkIn(message: StandInMessage, path: string): string {
  const href = [...message.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replaceAll("&amp;", "&")).find((url) => new URL(url).pathname.endsWith(path));
  if (!href) throw new Error(`no ${path} link in "${message.subject}"`);
  return href;
}

test("password sign-in: contracts, a contract, its receipt as a page and a PDF; others' ids are 404", async ({ page, server, browser }) => {
  const ctx = await server.as("owner");
  const [merchant] = await ctx.db.select().from(merchants).where(eq(merchants.id, server.merchantId));
  await ctx.db.update(merchants).set({ invoiceRegistrationNumber: "T9876543210987" }).where(eq(merchants.id, server.merchantId));
  try {
    const me = await member(ctx);
    const other = await member(ctx);
    await page.goto(`/mypage/${server.merchantId}/sign-in`);
    await expect(page.getByRole("heading", { name: "マイページにログイン", level: 1 })).toBeVisible();
    await expectAccessible(page);
    await signIn(page, server.merchantId, me.email);

    const card = page.getByTestId("my-contract");
    await expect(card).toHaveCount(1);
    await expect(card.getByTestId("my-contract-status")).toHaveText("ご利用中");
    await expect(card.getByTestId("my-contract-next")).toContainText("¥1,100");
    await expectAccessible(page);

    await card.getByRole("link", { name: "月4回コースの詳細" }).click();
    await expect(page.getByTestId("my-card")).toHaveText("VISA 末尾4242（有効期限 12/35）");
    await expect(page.getByTestId("my-contract-next")).toContainText("¥1,100をお支払いいただく予定です");
    await expect(page.getByRole("link", { name: "カードを変更する" })).toHaveAttribute("href", /^\/mypage\/card\?token=/);
    await expectAccessible(page);

    await page.getByRole("link", { name: "領収書", exact: true }).first().click();
    await expect(page.getByTestId("my-receipt")).toHaveCount(1);
    await expectAccessible(page);
    await page.getByTestId("my-receipt").getByRole("link").first().click();
    await expect(page.getByRole("heading", { name: "領収書", level: 1 })).toBeVisible();
    await expect(page.getByTestId("receipt-total")).toHaveText("¥1,100");
    await expect(page.getByTestId("receipt-registration")).toHaveText("登録番号: T9876543210987");
    await expectAccessible(page);

    const pdfHref = (await page.getByTestId("receipt-pdf").getAttribute("href"))!;
    const pdf = await page.request.get(pdfHref);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(await pdf.body())), { mergePages: true });
    for (const expected of ["領収書", "会員 花子 様", "T9876543210987", "10%対象 ¥1,100（税込）", "消費税 ¥100", "¥1,100", merchant!.name]) expect(text).toContain(expected);

    // Another customer's contract, receipt and PDF: 404, as an unknown id.
    const [otherInvoice] = await ctx.db.query.invoices.findMany({ where: (i, { eq: is }) => is(i.subscriptionId, other.subscription.id) });
    expect((await page.goto(`/mypage/${server.merchantId}/contracts/${other.subscription.id}`))!.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "ページが見つかりません" })).toBeVisible();
    expect((await page.goto(`/mypage/${server.merchantId}/receipts/${otherInvoice!.id}`))!.status()).toBe(404);
    expect((await page.request.get(`/mypage/${server.merchantId}/receipts/${otherInvoice!.id}/pdf`)).status()).toBe(404);

    // The staff session is no mypage session; signed out, the PDF is refused.
    const staff = await browser.newContext({ storageState: storageStateOf("owner") });
    const staffPage = await staff.newPage();
    await staffPage.goto(`/mypage/${server.merchantId}`);
    await expect(staffPage).toHaveURL(new RegExp(`/mypage/${server.merchantId}/sign-in$`));
    expect((await staffPage.request.get(pdfHref)).status()).toBe(401);
    await staff.close();

    await page.goto(`/mypage/${server.merchantId}`);
    await page.getByRole("button", { name: "ログアウト" }).click();
    await expect(page).toHaveURL(new RegExp(`/mypage/${server.merchantId}/sign-in$`));
    await page.goto(`/mypage/${server.merchantId}`);
    await expect(page).toHaveURL(new RegExp(`/sign-in$`));
  } finally {
    await ctx.db.update(merchants).set({ invoiceRegistrationNumber: merchant!.invoiceRegistrationNumber }).where(eq(merchants.id, server.merchantId));
  }
});

test("sign-in by a mailed link: opening it does nothing, the button signs in, the link works once", async ({ page, server }) => {
  const ctx = await server.as("owner");
  const me = await member(ctx, { password: false });
  await page.goto(`/mypage/${server.merchantId}/sign-in`);
  const form = page.getByTestId("link-sign-in");
  await form.getByLabel("メールアドレス").fill(me.email);
  await form.getByRole("button", { name: "ログインリンクを送る" }).click();
  await expect(page.getByTestId("link-sign-in-result")).toContainText("ログインリンクをお送りしました");

  await expect.poll(async () => (await inbox(me.email)).filter((m) => m.subject.includes("ログインリンク")).length, { timeout: 30_000 }).toBe(1);
  const mail = (await inbox(me.email)).find((m) => m.subject.includes("ログインリンク"))!;
  expect(mail.text).toContain("有効期限は15分");
  const link = linkIn(mail, "/sign-in/link");

  await page.goto(link);
  await expect(page.getByRole("heading", { name: "ログインの確認", level: 1 })).toBeVisible();
  await expectAccessible(page);
  // A scanner's second GET changes nothing: the link is still good.
  await page.reload();
  await page.getByRole("button", { name: "ログインする" }).click();
  await expect(page.getByRole("heading", { name: "ご契約一覧", level: 1 })).toBeVisible();
  await expect(page.getByTestId("my-contract")).toHaveCount(1);

  await page.goto(link);
  await expect(page.getByText("このリンクは無効か、有効期限が切れているか、すでに使用されています。")).toBeVisible();
  await expect(page.getByRole("button", { name: "ログインする" })).toHaveCount(0);
});

test("cancel with a reason (the console shows it), resume with its charge, pause where allowed", async ({ page, server, browser }) => {
  const ctx = await server.as("owner");
  const [merchant] = await ctx.db.select().from(merchants).where(eq(merchants.id, server.merchantId));
  const me = await member(ctx);
  await signIn(page, server.merchantId, me.email);
  await page.goto(`/mypage/${server.merchantId}/contracts/${me.subscription.id}`);
  await expect(page.getByRole("heading", { name: "一時停止" })).toHaveCount(0);

  const cancel = page.getByTestId("cancel");
  await expect(page.getByTestId("cancel-summary")).toContainText("まではご利用いただけ、その後終了します");
  await expect(cancel.getByText("今すぐ終了する")).toHaveCount(0);
  await cancel.getByLabel("解約の理由").selectOption({ label: "利用する機会が減った" });
  await cancel.getByLabel("ご意見（任意）").fill("引っ越しのため");
  // The button asks first, saying when it ends; going back changes nothing.
  await cancel.getByRole("button", { name: "解約する" }).click();
  const confirmCancel = page.getByRole("dialog", { name: "解約してよろしいですか？" });
  await expect(confirmCancel).toContainText("まではご利用いただけ、その後終了します");
  await expectAccessible(page);
  await confirmCancel.getByRole("button", { name: "戻る" }).first().click();
  await expect(confirmCancel).toHaveCount(0);
  await expect(page.getByTestId("my-contract-status")).toHaveText("ご利用中");
  await cancel.getByRole("button", { name: "解約する" }).click();
  await confirmCancel.getByRole("button", { name: "解約を確定する" }).click();
  await expect(page.getByText("解約を承りました。").first()).toBeVisible();
  // Set to end at its paid-through date, and no immediate cancellation allowed: nothing more to cancel.
  await expect(page.getByTestId("cancel")).toHaveCount(0);
  await expect(page.getByTestId("my-contract-next")).toContainText("で終了します（解約のお手続き済み）");
  await expectAccessible(page);

  const staff = await browser.newContext({ storageState: storageStateOf("owner") });
  const console = await staff.newPage();
  await console.goto(`/console/subscriptions/${me.subscription.id}`);
  await expect(console.getByText("解約理由：利用する機会が減った：引っ越しのため")).toBeVisible();
  await staff.close();

  await page.reload();
  await expect(page.getByTestId("resume-charge")).toContainText("¥1,100をお支払いいただきます");
  await page.getByTestId("resume").getByRole("button", { name: "再開する" }).click();
  // The resume section goes once the contract runs again: the result stays in a toast.
  await expect(page.getByText("ご契約を再開しました。").first()).toBeVisible();
  await expect(page.getByTestId("my-contract-next")).toContainText("¥1,100をお支払いいただく予定です");

  await ctx.db.update(merchants).set({ mypagePolicy: { cancel: "immediate_allowed", pause: true } }).where(eq(merchants.id, server.merchantId));
  try {
    await page.reload();
    await expect(page.getByTestId("cancel").getByText("今すぐ終了する")).toBeVisible();
    // The dialog follows the choice of when it ends.
    await page.getByTestId("cancel").getByLabel("解約の理由").selectOption({ label: "料金が高い" });
    await page.getByTestId("cancel").getByLabel("今すぐ終了する").check();
    await page.getByTestId("cancel").getByRole("button", { name: "解約する" }).click();
    await expect(page.getByRole("dialog")).toContainText("ご契約は今すぐ終了します。");
    await page.keyboard.press("Escape");
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await page.getByTestId("pause").getByRole("button", { name: "一時停止する" }).click();
    await page.getByRole("dialog", { name: "一時停止してよろしいですか？" }).getByRole("button", { name: "一時停止を確定する" }).click();
    await expect(page.getByText("ご契約を一時停止しました。").first()).toBeVisible();
    await expect(page.getByTestId("my-contract-status")).toHaveText("一時停止中");
    await page.getByTestId("resume").getByRole("button", { name: "再開する" }).click();
    await expect(page.getByTestId("my-contract-status")).toHaveText("ご利用中");
  } finally {
    await ctx.db.update(merchants).set({ mypagePolicy: merchant!.mypagePolicy }).where(eq(merchants.id, server.merchantId));
  }
});

test("password reset by mail: the link sets a new password once; the old one no longer works", async ({ page, server }) => {
  const ctx = await server.as("owner");
  const me = await member(ctx);
  await page.goto(`/mypage/${server.merchantId}/sign-in`);
  await page.getByRole("link", { name: "パスワードをお忘れの方" }).click();
  await expect(page.getByRole("heading", { name: "パスワードの再設定", level: 1 })).toBeVisible();
  await page.getByTestId("reset-request").getByLabel("メールアドレス").fill(me.email);
  await page.getByRole("button", { name: "再設定リンクを送る" }).click();
  await expect(page.getByTestId("reset-request-result")).toContainText("再設定用のリンクをお送りしました");

  await expect.poll(async () => (await inbox(me.email)).filter((m) => m.subject.includes("パスワード再設定")).length, { timeout: 30_000 }).toBe(1);
  const link = linkIn((await inbox(me.email)).find((m) => m.subject.includes("パスワード再設定"))!, "/reset");
  await page.goto(link);
  const form = page.getByTestId("reset-password");
  await form.getByLabel("新しいパスワード（8文字以上）").fill("short");
  await form.getByRole("button", { name: "パスワードを設定する" }).click();
  // The browser's own check stops a short password before it is sent: still on the form, nothing changed.
  await expect(form.getByLabel("新しいパスワード（8文字以上）")).toHaveJSProperty("validity.tooShort", true);
  await form.getByLabel("新しいパスワード（8文字以上）").fill("a brand new password");
  await form.getByRole("button", { name: "パスワードを設定する" }).click();
  // Set, the customer is signed in.
  await expect(page.getByRole("heading", { name: "ご契約一覧", level: 1 })).toBeVisible();
  await page.context().clearCookies();

  await page.goto(link);
  await expect(page.getByText("このリンクは無効か、有効期限が切れているか、すでに使用されています。もう一度お手続きください。")).toBeVisible();

  await page.goto(`/mypage/${server.merchantId}/sign-in`);
  const signInForm = page.getByTestId("password-sign-in");
  await signInForm.getByLabel("メールアドレス").fill(me.email);
  await signInForm.getByLabel("パスワード").fill(PASSWORD);
  await signInForm.getByRole("button", { name: "ログイン", exact: true }).click();
  await expect(page.getByText("メールアドレスまたはパスワードが正しくないか")).toBeVisible();
  // Refused, the email typed stays: only the password is typed again.
  await expect(signInForm.getByLabel("メールアドレス")).toHaveValue(me.email);
  await signInForm.getByLabel("パスワード").fill("a brand new password");
  await signInForm.getByRole("button", { name: "ログイン", exact: true }).click();
  await expect(page.getByRole("heading", { name: "ご契約一覧", level: 1 })).toBeVisible();
});

test("profile: name and phone saved; a new email confirmed by the link mailed to it", async ({ page, server }) => {
  const ctx = await server.as("owner");
  const me = await member(ctx);
  await signIn(page, server.merchantId, me.email);
  await page.goto(`/mypage/${server.merchantId}/profile`);
  const profile = page.getByTestId("profile");
  await profile.getByLabel("お名前").fill("会員 春子");
  await profile.getByLabel("電話番号").fill("０９０－１１１１－２２２２");
  await profile.getByRole("button", { name: "保存する" }).click();
  await expect(page.getByTestId("profile-result")).toHaveText("お客様情報を保存しました。");
  const [saved] = await ctx.db.select().from(customers).where(eq(customers.id, me.customer.id));
  expect(saved).toMatchObject({ name: "会員 春子", phone: "090-1111-2222" });
  await expectAccessible(page);

  const newEmail = `renamed-${randomUUID().slice(0, 8)}@mypage.e2e.test`;
  await page.getByTestId("email-change").getByLabel("新しいメールアドレス").fill(newEmail);
  await page.getByRole("button", { name: "確認メールを送る" }).click();
  await expect(page.getByTestId("email-change-result")).toContainText(`${newEmail} に確認メールをお送りしました`);
  // Nothing changes until the new address proves it receives mail.
  expect((await ctx.db.select().from(customers).where(eq(customers.id, me.customer.id)))[0]!.email).toBe(me.email);

  await expect.poll(async () => (await inbox(newEmail)).length, { timeout: 30_000 }).toBe(1);
  const link = linkIn((await inbox(newEmail))[0]!, "/email");
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "メールアドレス変更の確認", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "変更を確定する" }).click();
  await expect(page.getByText(`メールアドレスを ${newEmail} に変更しました。`)).toBeVisible();
  expect((await ctx.db.select().from(customers).where(eq(customers.id, me.customer.id)))[0]!.email).toBe(newEmail);
  await page.goto(link);
  await expect(page.getByText("このリンクは無効か、有効期限が切れているか、すでに使用されています。")).toBeVisible();
});

test("before sign-in the visitor picks English: the page, its refusal and the page title follow", async ({ page, server }) => {
  await page.goto(`/mypage/${server.merchantId}/sign-in`);
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to your account", level: 1 })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page).toHaveTitle(/Sign in to your account/);
  const form = page.getByTestId("password-sign-in");
  await form.getByLabel("Email").fill(`nobody-${randomUUID().slice(0, 8)}@mypage.e2e.test`);
  await form.getByLabel("Password").fill("not the password");
  await form.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(form.getByRole("alert")).toHaveText("The email or password is wrong, or there were too many attempts. Please wait a moment and try again.");
  await expectAccessible(page);
  await page.getByRole("button", { name: "日本語" }).click();
  await expect(page.getByRole("heading", { name: "マイページにログイン", level: 1 })).toBeVisible();
});

test("sign-in throttling: failures count per email; while locked even the right password is refused", async ({ page, server }) => {
  const ctx = await server.as("owner");
  const me = await member(ctx);
  await page.goto(`/mypage/${server.merchantId}/sign-in`);
  const form = page.getByTestId("password-sign-in");
  const attempt = async (password: string) => {
    await form.getByLabel("メールアドレス").fill(me.email);
    await form.getByLabel("パスワード").fill(password);
    await form.getByRole("button", { name: "ログイン", exact: true }).click();
    await expect(form.getByRole("button", { name: "ログイン", exact: true })).toBeEnabled();
  };
  for (let i = 0; i < 4; i++) await attempt(`wrong ${i}`);
  await expect(page.getByTestId("password-sign-in-result")).toContainText("試行回数が多すぎます");
  const key = `customer:${server.merchantId}:${me.email}`;
  await expect.poll(async () => (await ctx.db.select().from(signInThrottles).where(eq(signInThrottles.key, key)))[0]?.failures).toBe(4);
  // The tenth failure locks the email for 15 minutes (the unit tests count there); the browser meets the lock.
  await ctx.db.update(signInThrottles).set({ failures: 10, lockedUntil: new Date(Date.now() + 15 * 60_000) }).where(eq(signInThrottles.key, key));
  await attempt(PASSWORD);
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByTestId("password-sign-in-result")).toContainText("試行回数が多すぎます");
  await expectAccessible(page);
  await ctx.db.delete(signInThrottles).where(eq(signInThrottles.key, key));
  // React resets the form after each submission: both fields are typed again.
  await form.getByLabel("メールアドレス").fill(me.email);
  await form.getByLabel("パスワード").fill(PASSWORD);
  await form.getByRole("button", { name: "ログイン", exact: true }).click();
  await expect(page.getByRole("heading", { name: "ご契約一覧", level: 1 })).toBeVisible();
});
