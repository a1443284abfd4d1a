import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { paymentMethods } from "@/db/schema";
import { type SandboxBehavior, type SandboxGateway, SandboxRequestError } from "@/lib/gateways/sandbox";
import { recordAudit } from "./audit";
import type { ServiceContext } from "./context";
import { invalid, notFound, parseInput } from "./errors";

export const SANDBOX_CARD_BEHAVIORS = ["succeed", "decline", "insufficient_funds"] as const satisfies readonly SandboxBehavior[];

export const setTestCardBehaviorInput = z.object({
  paymentMethodId: z.string().min(1),
  behavior: z.enum(SANDBOX_CARD_BEHAVIORS),
});

/**
 * Test helper: what a saved sandbox card does on its next charges (succeed, decline, insufficient funds). Only for
 * the merchant's own payment methods, and only while the sandbox is the gateway.
 */
export async function setTestCardBehavior(ctx: ServiceContext, input: z.input<typeof setTestCardBehaviorInput>) {
  const data = parseInput(setTestCardBehaviorInput, input);
  if (ctx.gateway.name !== "sandbox") throw invalid("Card behaviours can only be set on the sandbox gateway");
  const sandbox = ctx.gateway as SandboxGateway;
  const [pm] = await ctx.db.select().from(paymentMethods).where(and(eq(paymentMethods.id, data.paymentMethodId), eq(paymentMethods.merchantId, ctx.merchantId)));
  if (!pm) throw notFound("payment method", data.paymentMethodId, "payment_method");
  if (pm.gateway !== "sandbox") throw invalid("This payment method was not saved at the sandbox gateway", "payment_method");
  try {
    await sandbox.setCardBehavior(pm.gatewayRef, data.behavior);
  } catch (error) {
    if (error instanceof SandboxRequestError && error.code === "card_not_found") throw notFound("payment method", data.paymentMethodId, "payment_method");
    throw error;
  }
  await recordAudit(ctx.db, ctx, {
    action: "payment_method.test_behavior_set",
    targetType: "payment_method",
    targetId: pm.id,
    data: { behavior: data.behavior },
    at: ctx.clock.now(),
  });
  return pm;
}
