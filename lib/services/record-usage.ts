import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { usageRecords } from "@/db/schema";
import { isLive } from "@/lib/billing/subscription-state";
import { newId } from "@/lib/ids";
import { recordAudit } from "./internal/audit";
import { authorize } from "./authorize";
import { lockContract } from "./internal/contract";
import type { ServiceContext } from "./context";
import { conflict, invalid, parseInput } from "./errors";

export const recordUsageInput = z.object({
  subscriptionId: z.string().min(1),
  metric: z.string().trim().min(1).max(100),
  quantity: z.number().int().min(1).max(1_000_000_000),
  timestamp: z.coerce.date().nullish(),
  idempotencyKey: z.string().max(200).nullish(),
});

/** Usage (従量課金) recorded now is billed on the contract's next renewal invoice. */
export async function recordUsage(ctx: ServiceContext, input: z.input<typeof recordUsageInput>) {
  const data = parseInput(recordUsageInput, input);
  return ctx.db.transaction(async (tx) => {
    const contract = await lockContract(tx, ctx.merchantId, data.subscriptionId, ctx.clock);
    authorize(ctx.actor, "contracts.operate");
    const { sub, plan, now } = contract;
    if (!isLive(sub.status)) throw conflict(`A ${sub.status} contract takes no usage`, "illegal_state");
    if (!plan.usageRates.some((r) => r.metric === data.metric)) throw invalid(`The plan has no price for metric '${data.metric}'`, "metric");
    if (data.timestamp && data.timestamp.getTime() > now.getTime() + 5 * 60_000) throw invalid("Usage cannot be recorded in the future", "timestamp");
    if (data.idempotencyKey) {
      const [existing] = await tx.select().from(usageRecords).where(and(eq(usageRecords.merchantId, ctx.merchantId), eq(usageRecords.idempotencyKey, data.idempotencyKey)));
      if (existing) return existing;
    }
    const [record] = await tx
      .insert(usageRecords)
      .values({ id: newId("ur"), merchantId: ctx.merchantId, subscriptionId: sub.id, metric: data.metric, quantity: data.quantity, recordedAt: data.timestamp ?? now, idempotencyKey: data.idempotencyKey ?? null, createdAt: now })
      .returning();
    await recordAudit(tx, ctx, { action: "usage.recorded", targetType: "subscription", targetId: sub.id, data: { metric: data.metric, quantity: data.quantity }, at: now });
    return record!;
  });
}
