import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { mailSuppressions } from "@/db/schema";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { notFound, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";

export const removeMailSuppressionInput = z.object({ suppressionId: z.string().min(1).max(100) });

/** Takes an address off the merchant's suppression list: later mails to it are sent again. */
export async function removeMailSuppression(ctx: ServiceContext, input: z.input<typeof removeMailSuppressionInput>) {
  const { suppressionId } = parseInput(removeMailSuppressionInput, input);
  authorize(ctx.actor, "mails.operate");
  const at = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [removed] = await tx
      .delete(mailSuppressions)
      .where(and(eq(mailSuppressions.id, suppressionId), eq(mailSuppressions.merchantId, ctx.merchantId)))
      .returning();
    if (!removed) throw notFound("mail suppression", suppressionId, "suppressionId");
    await recordAudit(tx, ctx, { action: "mail_suppression.removed", targetType: "mail_suppression", targetId: removed.id, data: { address: removed.address, reason: removed.reason }, at });
    return removed;
  });
}
