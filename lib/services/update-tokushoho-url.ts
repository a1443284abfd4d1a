import { eq } from "drizzle-orm";
import { z } from "zod";
import { merchants } from "@/db/schema";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { parseInput } from "./errors";
import { webUrl } from "./create-checkout-link";
import { recordAudit } from "./internal/audit";

export const updateTokushohoUrlInput = z.object({ url: webUrl.nullable() });

/** The merchant's 特定商取引法に基づく表記 page, which every checkout page links to (null: none yet). */
export async function updateTokushohoUrl(ctx: ServiceContext, input: z.input<typeof updateTokushohoUrlInput>) {
  const data = parseInput(updateTokushohoUrlInput, input);
  authorize(ctx.actor, "settings.manage");
  return ctx.db.transaction(async (tx) => {
    await tx.update(merchants).set({ tokushohoUrl: data.url }).where(eq(merchants.id, ctx.merchantId));
    await recordAudit(tx, ctx, { action: "merchant.tokushoho_url_updated", targetType: "merchant", targetId: ctx.merchantId, data: { url: data.url }, at: ctx.clock.now() });
    return { tokushohoUrl: data.url };
  });
}
