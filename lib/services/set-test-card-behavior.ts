import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { paymentMethods } from "@/db/schema";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { invalid, notFound, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";

export const setTestCardBehaviorInput = z.object({
  paymentMethodId: z.string().min(1),
  behavior: z.string().min(1).max(40),
});

/**
 * Test helper: what a saved test card does on its next charges (succeed, decline, insufficient funds, expired or
 * lost card). Only for the merchant's own payment methods, and only at a gateway that has test controls.
 */
export async function setTestCardBehavior(ctx: ServiceContext, input: z.input<typeof setTestCardBehaviorInput>) {
  const data = parseInput(setTestCardBehaviorInput, input);
  authorize(ctx.actor, "test_clocks.operate");
  const [pm] = await ctx.db.select().from(paymentMethods).where(and(eq(paymentMethods.id, data.paymentMethodId), eq(paymentMethods.merchantId, ctx.merchantId)));
  if (!pm) throw notFound("payment method", data.paymentMethodId, "payment_method");
  const controls = ctx.gateways.byName(pm.gateway)?.testControls;
  if (!controls) throw invalid(`Card behaviours can only be set on a test gateway; this card was saved at ${pm.gateway}`, "payment_method");
  if (!controls.behaviors.includes(data.behavior)) throw invalid(`behavior must be one of ${controls.behaviors.join(", ")}`, "behavior");
  await controls.setCardBehavior(pm.gatewayRef, data.behavior);
  await recordAudit(ctx.db, ctx, { action: "payment_method.test_behavior_set", targetType: "payment_method", targetId: pm.id, data: { behavior: data.behavior }, at: ctx.clock.now() });
  return pm;
}
