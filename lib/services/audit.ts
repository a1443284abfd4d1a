import type { Db } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { newId } from "@/lib/ids";
import type { ServiceContext } from "./context";

/** Who did what: one row per service verb, written in the verb's own transaction. */
export async function recordAudit(
  tx: Db,
  ctx: Pick<ServiceContext, "actor" | "merchantId">,
  entry: { action: string; targetType: string; targetId: string; data?: Record<string, unknown>; at: Date },
): Promise<void> {
  await tx.insert(auditEvents).values({
    id: newId("evt"),
    merchantId: ctx.merchantId,
    actorType: ctx.actor.type,
    actorId: ctx.actor.id,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    data: entry.data ?? {},
    occurredAt: entry.at,
  });
}
