import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { reusableQuery } from "@/db/reusable-query";
import { auditEvents } from "@/db/schema";
import { newId } from "@/lib/ids";
import type { ServiceContext } from "./context";

/** Built once (see reusableQuery): every service verb writes one. */
const insertAuditEvent = reusableQuery((db) =>
  db
    .insert(auditEvents)
    .values({
      id: sql.placeholder("id"),
      merchantId: sql.placeholder("merchantId"),
      actorType: sql.placeholder("actorType"),
      actorId: sql.placeholder("actorId"),
      action: sql.placeholder("action"),
      targetType: sql.placeholder("targetType"),
      targetId: sql.placeholder("targetId"),
      data: sql.placeholder("data"),
      occurredAt: sql.placeholder("occurredAt"),
    })
    .prepare("insert_audit_event"),
);

/** Who did what: one row per service verb, written in the verb's own transaction. */
export async function recordAudit(
  tx: Db,
  ctx: Pick<ServiceContext, "actor" | "merchantId">,
  entry: { action: string; targetType: string; targetId: string; data?: Record<string, unknown>; at: Date },
): Promise<void> {
  await insertAuditEvent(tx).execute({
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
