import { randomUUID } from "node:crypto";
import { SANDBOX_TEST_CARDS } from "@/lib/gateways/sandbox-cards";
import { addPaymentMethod } from "@/lib/services/add-payment-method";
import type { ServiceContext } from "@/lib/services/context";
import { createCustomer } from "@/lib/services/create-customer";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { createSubscription } from "@/lib/services/create-subscription";
import { ServiceError } from "@/lib/services/errors";
import type { ServerData } from "./fixtures";

/* Contracts seeded through the services for the demo merchant, each with names of its own, on the sandbox gateway. */

export type Seeded = { subscriptionId: string; customerName: string; paymentMethodId: string; cardRef: string; planIds: string[] };

/** A product with a monthly plan (usage priced) and a dearer one, a customer with a card, and a contract. */
export async function seedContract(ctx: ServiceContext, server: Pick<ServerData, "platform">, options: { card?: string; trialDays?: number } = {}): Promise<Seeded> {
  const tag = randomUUID().slice(0, 8);
  const product = await createProduct(ctx, { name: `詳細テスト講座 ${tag}` });
  const plan = await createPlan(ctx, { productId: product.id, name: `ベーシック ${tag}`, amount: 3000, interval: "month", trialDays: options.trialDays ?? null, usageRates: [{ metric: "api_calls", unitAmount: 10 }] });
  const dearer = await createPlan(ctx, { productId: product.id, name: `プレミアム ${tag}`, amount: 5000, interval: "month", usageRates: [{ metric: "api_calls", unitAmount: 10 }] });
  const customerName = `詳細 太郎 ${tag}`;
  const customer = await createCustomer(ctx, { name: customerName, email: `detail-${tag}@example.jp` });
  const controls = server.platform.gateways.primary.testControls!;
  const token = await controls.createToken({ number: options.card ?? SANDBOX_TEST_CARDS.succeed, expMonth: 12, expYear: 2035, cvc: "123" }, new Date());
  const card = await addPaymentMethod(ctx, { customerId: customer.id, token: token.id });
  let subscriptionId: string;
  try {
    subscriptionId = (await createSubscription(ctx, { customerId: customer.id, planId: plan.id })).id;
  } catch (error) {
    // A card declined at sign-up leaves an incomplete contract owing its first invoice.
    if (!(error instanceof ServiceError) || !error.details.subscriptionId) throw error;
    subscriptionId = error.details.subscriptionId;
  }
  return { subscriptionId, customerName, paymentMethodId: card.id, cardRef: card.gatewayRef, planIds: [plan.id, dearer.id] };
}
