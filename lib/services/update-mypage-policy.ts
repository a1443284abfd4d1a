import { eq } from "drizzle-orm";
import { z } from "zod";
import { merchants } from "@/db/schema";
import type { MypagePolicy } from "@/lib/mypage/policy";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { notFound, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";

export const updateMypagePolicyInput = z.object({
  cancel: z.enum(["period_end", "immediate_allowed"]),
  pause: z.boolean(),
}) satisfies z.ZodType<MypagePolicy>;

/** What end users may do themselves on the mypage from now on; contracts already canceling or paused stay so. */
export async function updateMypagePolicy(ctx: ServiceContext, input: z.input<typeof updateMypagePolicyInput>): Promise<MypagePolicy> {
  const policy = parseInput(updateMypagePolicyInput, input);
  authorize(ctx.actor, "settings.manage");
  return ctx.db.transaction(async (tx) => {
    const [merchant] = await tx.select({ before: merchants.mypagePolicy }).from(merchants).where(eq(merchants.id, ctx.merchantId)).for("update");
    if (!merchant) throw notFound("merchant", ctx.merchantId);
    await tx.update(merchants).set({ mypagePolicy: policy }).where(eq(merchants.id, ctx.merchantId));
    await recordAudit(tx, ctx, { action: "merchant.mypage_policy_updated", targetType: "merchant", targetId: ctx.merchantId, data: { before: merchant.before, after: policy }, at: ctx.clock.now() });
    return policy;
  });
}
