import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { customers, paymentMethods, plans, products, subscriptions } from "@/db/schema";
import { decideSignUp } from "@/lib/billing/decisions/sign-up";
import { newId } from "@/lib/ids";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { notFound, parseInput } from "./errors";
import { collectNow, openCharge } from "./internal/collect";
import { customerNow, lockContract, planFacts } from "./internal/contract";
import { accepted } from "./internal/contract-verb";
import { ContractWriter } from "./internal/contract-writer";
import { loadMerchant } from "./merchant-settings";
import { loadSubscription } from "./read-subscription";

export const createSubscriptionInput = z.object({
  customerId: z.string().min(1),
  planId: z.string().min(1),
  paymentMethodId: z.string().min(1).nullish(),
});

/**
 * Starts a contract (see decideSignUp). A declined first charge leaves it incomplete with its open invoice and is
 * reported (payment_declined, naming both): a card update or a retry can still complete it.
 */
export async function createSubscription(ctx: ServiceContext, input: z.input<typeof createSubscriptionInput>) {
  const data = parseInput(createSubscriptionInput, input);
  authorize(ctx.actor, "contracts.operate");
  const started = await ctx.db.transaction(async (tx) => {
    const [customer] = await tx.select().from(customers).where(and(eq(customers.id, data.customerId), eq(customers.merchantId, ctx.merchantId)));
    if (!customer) throw notFound("customer", data.customerId, "customer");
    const [row] = await tx
      .select({ plan: plans, product: products })
      .from(plans)
      .innerJoin(products, eq(products.id, plans.productId))
      .where(and(eq(plans.id, data.planId), eq(plans.merchantId, ctx.merchantId)));
    if (!row || !row.plan.active) throw notFound("plan", data.planId, "plan");
    const paymentMethodId = data.paymentMethodId ?? customer.defaultPaymentMethodId;
    if (paymentMethodId) {
      const [pm] = await tx.select().from(paymentMethods).where(and(eq(paymentMethods.id, paymentMethodId), eq(paymentMethods.customerId, customer.id)));
      if (!pm || pm.status !== "active") throw notFound("payment method", paymentMethodId, "payment_method");
    }
    const merchant = await loadMerchant(tx, ctx.merchantId);
    const now = await customerNow(tx, customer.testClockId, ctx.clock);
    const id = newId("sub");
    const signUp = accepted(
      decideSignUp({ id, plan: planFacts(row.plan, row.product), settings: merchant.billingSettings, timeZone: merchant.timeZone, now }, { paymentMethodId: paymentMethodId ?? null }),
    );
    await tx.insert(subscriptions).values({ ...signUp.state, id, merchantId: ctx.merchantId, customerId: customer.id, testClockId: customer.testClockId, createdAt: now, updatedAt: now });
    const contract = await lockContract(tx, ctx.merchantId, id, ctx.clock);
    const writer = new ContractWriter(ctx);
    writer.apply(contract, signUp.effects);
    const opened = signUp.charge ? await openCharge(tx, writer, contract, { draft: signUp.charge }, "checkout") : null;
    await writer.flush(tx);
    return { id, prepared: opened?.prepared ?? null };
  });
  if (started.prepared) await collectNow(ctx, started.prepared, started.id);
  return loadSubscription(ctx, started.id);
}
