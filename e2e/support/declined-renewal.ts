import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { subscriptions } from "@/db/schema";
import type { SandboxBehavior } from "@/lib/gateways/sandbox";
import { addPaymentMethod } from "@/lib/services/add-payment-method";
import { advanceTestClock } from "@/lib/services/advance-test-clock";
import type { ServiceContext } from "@/lib/services/context";
import { createCustomer } from "@/lib/services/create-customer";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { createSubscription } from "@/lib/services/create-subscription";
import { createTestClock } from "@/lib/services/create-test-clock";

const DAY = 86_400_000;

/**
 * A ¥3,000 monthly contract on a test clock of its own whose first renewal the sandbox card answered with `behavior`
 * (the clock moved 33 days on): past due or unpaid, and the mail that says so on its way to the customer.
 */
export async function declinedRenewal(ctx: ServiceContext, behavior: SandboxBehavior, label: string) {
  const start = new Date(Math.floor(Date.now() / 1000) * 1000);
  const clock = await createTestClock(ctx, { frozenTime: start, name: `${label} ${randomUUID().slice(0, 6)}` });
  const product = await createProduct(ctx, { name: `英会話 ${randomUUID().slice(0, 6)}` });
  const plan = await createPlan(ctx, { amount: 3000, interval: "month", productId: product.id, name: "月謝プラン" });
  const customer = await createCustomer(ctx, { email: `${randomUUID()}@${label.replace(/\W+/g, "-")}.e2e.test`, name: "リンク 花子", testClockId: clock.id });
  const controls = ctx.gateways.byName("sandbox")!.testControls!;
  const token = await controls.createToken({ number: "4242424242424242", expMonth: 12, expYear: 2035, cvc: "123" }, start);
  const card = await addPaymentMethod(ctx, { customerId: customer.id, token: token.id });
  const subscription = await createSubscription(ctx, { customerId: customer.id, planId: plan.id });
  await controls.setCardBehavior(card.gatewayRef, behavior);
  await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: new Date(start.getTime() + 33 * DAY) });
  const [row] = await ctx.db.select({ overdueInvoiceId: subscriptions.overdueInvoiceId }).from(subscriptions).where(eq(subscriptions.id, subscription.id));
  return { subscription, customer, product, invoiceId: row!.overdueInvoiceId };
}
