import { eq } from "drizzle-orm";
import type { z } from "zod";
import { merchants } from "@/db/schema";
import { billingSettingsSchema } from "@/lib/billing/billing-settings";
import { recordAudit } from "./audit";
import type { ServiceContext } from "./context";
import { notFound, parseInput } from "./errors";

/** The whole of a merchant's billing settings, checked by the domain's own rules. */
export const updateBillingSettingsInput = billingSettingsSchema;

/**
 * Replaces the merchant's retry schedule, dunning timeline and card-on-file window. Takes effect for what is
 * planned from now on; actions already scheduled keep their times.
 */
export async function updateBillingSettings(ctx: ServiceContext, input: z.input<typeof updateBillingSettingsInput>) {
  const settings = parseInput(updateBillingSettingsInput, input);
  return ctx.db.transaction(async (tx) => {
    const [merchant] = await tx.select({ billingSettings: merchants.billingSettings }).from(merchants).where(eq(merchants.id, ctx.merchantId)).for("update");
    if (!merchant) throw notFound("merchant", ctx.merchantId);
    await tx.update(merchants).set({ billingSettings: settings }).where(eq(merchants.id, ctx.merchantId));
    await recordAudit(tx, ctx, {
      action: "billing_settings.updated",
      targetType: "merchant",
      targetId: ctx.merchantId,
      data: { before: merchant.billingSettings, after: settings },
      at: ctx.clock.now(),
    });
    return settings;
  });
}
