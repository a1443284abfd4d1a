import { eq } from "drizzle-orm";
import { z } from "zod";
import { merchants } from "@/db/schema";
import { isValidTimeZone } from "@/lib/billing/calendar";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { notFound, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";
import { rebuildDashboardRollups } from "./internal/dashboard-rollups";

export const updateTimeZoneInput = z.object({ timeZone: z.string().trim().refine(isValidTimeZone, "not a known IANA time zone") });

/**
 * The merchant's time zone. What is already planned keeps its moment (scheduled actions are stored in UTC); billing
 * days counted from now on, and every time shown to the merchant, use the new zone. The dashboard's rollups are kept
 * by local day, so they are recounted in the new zone in the same transaction.
 */
export async function updateTimeZone(ctx: ServiceContext, input: z.input<typeof updateTimeZoneInput>) {
  const { timeZone } = parseInput(updateTimeZoneInput, input);
  authorize(ctx.actor, "settings.manage");
  return ctx.db.transaction(async (tx) => {
    const [merchant] = await tx.select({ before: merchants.timeZone }).from(merchants).where(eq(merchants.id, ctx.merchantId)).for("update");
    if (!merchant) throw notFound("merchant", ctx.merchantId);
    await tx.update(merchants).set({ timeZone }).where(eq(merchants.id, ctx.merchantId));
    if (merchant.before !== timeZone) await rebuildDashboardRollups(tx, ctx.merchantId);
    await recordAudit(tx, ctx, { action: "merchant.time_zone_updated", targetType: "merchant", targetId: ctx.merchantId, data: { before: merchant.before, after: timeZone }, at: ctx.clock.now() });
    return { timeZone };
  });
}
