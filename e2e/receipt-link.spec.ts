/**
 * The receipt link of a mail: the 領収書 of a paid invoice (lines, tax per rate, total, the merchant's registration
 * number, refunds), printable; expired and invalid links answer 404 with a page that says which.
 */
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { invoices, merchants } from "@/db/schema";
import { cardUpdateUrl, receiptUrl } from "@/lib/mail/links";
import { addPaymentMethod } from "@/lib/services/add-payment-method";
import type { ServiceContext } from "@/lib/services/context";
import { createCustomer } from "@/lib/services/create-customer";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { createSubscription } from "@/lib/services/create-subscription";
import { refundInvoice } from "@/lib/services/refund-invoice";
import { expect, expectAccessible, test } from "./support/fixtures";

test.use({ signedInAs: null });

/** A customer signed up to a tax-exclusive 8 % plan, charged at once: one paid invoice. */
async function paidInvoice(ctx: ServiceContext) {
  const product = await createProduct(ctx, { name: `お弁当 ${randomUUID().slice(0, 6)}` });
  const plan = await createPlan(ctx, { amount: 2000, interval: "month", productId: product.id, name: "週5日コース", taxBehavior: "exclusive", taxRate: 8 });
  const customer = await createCustomer(ctx, { email: `${randomUUID()}@receipt.e2e.test`, name: "領収 太郎" });
  const token = await ctx.gateways.byName("sandbox")!.testControls!.createToken({ number: "4242424242424242", expMonth: 12, expYear: 2035, cvc: "123" }, ctx.clock.now());
  await addPaymentMethod(ctx, { customerId: customer.id, token: token.id });
  const subscription = await createSubscription(ctx, { customerId: customer.id, planId: plan.id });
  const [invoice] = await ctx.db.select().from(invoices).where(and(eq(invoices.subscriptionId, subscription.id), eq(invoices.status, "paid")));
  return { invoice: invoice!, subscription, product };
}

const pathOf = (url: string) => url.slice(url.indexOf("/r/"));

test("the receipt of a paid invoice: tax per rate, registration number, refunds; printable", async ({ page, server }) => {
  const ctx = await server.as("owner");
  const [merchant] = await ctx.db.select().from(merchants).where(eq(merchants.id, server.merchantId));
  await ctx.db.update(merchants).set({ invoiceRegistrationNumber: "T1234567890123" }).where(eq(merchants.id, server.merchantId));
  try {
    const { invoice, product } = await paidInvoice(ctx);
    expect(invoice).toMatchObject({ subtotal: 2000, tax: 160, total: 2160 });
    await refundInvoice(ctx, { invoiceId: invoice.id, amount: 500, reason: "1日分のお休み" });

    const response = await page.goto(pathOf(await receiptUrl(server.platform.links, { merchantId: server.merchantId, invoiceId: invoice.id }, new Date())));
    expect(response!.status()).toBe(200);
    await expect(page.getByRole("heading", { name: "領収書", level: 1 })).toBeVisible();
    await expect(page.getByText("領収 太郎 様")).toBeVisible();
    await expect(page.getByTestId("receipt-total")).toHaveText("¥2,160");
    await expect(page.getByText(`但し ${product.name}（週5日コース） の代金として`)).toBeVisible();
    await expect(page.getByTestId("receipt-line")).toHaveCount(1);
    await expect(page.getByTestId("receipt-line")).toContainText("※");
    await expect(page.getByText("※は軽減税率（8%）の対象です。")).toBeVisible();
    await expect(page.getByTestId("receipt-tax")).toHaveText(/8%対象 ※\s*¥2,000（税抜）\s*¥160/);
    await expect(page.getByTestId("receipt-registration")).toHaveText("登録番号: T1234567890123");
    await expect(page.getByTestId("receipt-refunds")).toContainText("−¥500");
    await expect(page.getByTestId("receipt-refunds")).toContainText("返金後のお支払い額¥1,660");
    await expectAccessible(page);

    const print = page.getByRole("button", { name: "印刷する" });
    await expect(print).toBeVisible();
    await page.emulateMedia({ media: "print" });
    await expect(print).toBeHidden();
    await expect(page.getByTestId("receipt-total")).toBeVisible();
  } finally {
    await ctx.db.update(merchants).set({ invoiceRegistrationNumber: merchant!.invoiceRegistrationNumber }).where(eq(merchants.id, server.merchantId));
  }
});

test("expired and invalid receipt links answer 404 and say which, revealing nothing", async ({ page, server }) => {
  const ctx = await server.as("owner");
  const { invoice, subscription } = await paidInvoice(ctx);
  const links = server.platform.links;

  const expired = await page.goto(pathOf(await receiptUrl(links, { merchantId: server.merchantId, invoiceId: invoice.id }, new Date(Date.now() - 8 * 86_400_000))));
  expect(expired!.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "このリンクの有効期限が切れています", level: 1 })).toBeVisible();
  await expect(page.getByText("領収 太郎")).toHaveCount(0);
  await expectAccessible(page);

  const cardToken = new URL(await cardUpdateUrl(links, { merchantId: server.merchantId, subscriptionId: subscription.id }, new Date())).searchParams.get("token")!;
  const good = pathOf(await receiptUrl(links, { merchantId: server.merchantId, invoiceId: invoice.id }, new Date()));
  const otherMerchant = pathOf(await receiptUrl(links, { merchantId: "mer_someone_else", invoiceId: invoice.id }, new Date()));
  for (const url of [`/r/${cardToken}`, `${good.slice(0, -2)}xx`, "/r/nonsense", otherMerchant]) {
    const response = await page.goto(url);
    expect(response!.status(), url).toBe(404);
    await expect(page.getByRole("heading", { name: "このリンクは無効です", level: 1 })).toBeVisible();
    await expect(page.getByText("領収 太郎")).toHaveCount(0);
  }
  await expectAccessible(page);
});
