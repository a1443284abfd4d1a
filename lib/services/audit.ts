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

export type AuditEntry = { merchantId: string; actor: ServiceContext["actor"]; action: string; targetType: string; targetId: string; data?: Record<string, unknown>; at: Date };

/** Many verbs' rows at once, for a bill run that settles a batch of charges in one transaction. */
export async function recordAudits(tx: Db, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.insert(auditEvents).values(
    entries.map((e) => ({
      id: newId("evt"),
      merchantId: e.merchantId,
      actorType: e.actor.type,
      actorId: e.actor.id,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId,
      data: e.data ?? {},
      occurredAt: e.at,
    })),
  );
}
