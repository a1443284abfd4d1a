import { bulkInsert } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { newId } from "@/lib/ids";
import { eventTypeOfAudit } from "@/lib/webhooks/event-types";
import type { ServiceContext } from "../context";
import { type EventToRecord, recordEvents } from "./events";

/** Who did what: one row per service verb, written in the verb's own transaction. */
export async function recordAudit(
  tx: Db,
  ctx: Pick<ServiceContext, "actor" | "merchantId">,
  entry: { action: string; targetType: string; targetId: string; data?: Record<string, unknown>; at: Date },
): Promise<void> {
  await recordAudits(tx, [{ ...entry, merchantId: ctx.merchantId, actor: ctx.actor }]);
}

export type AuditEntry = { merchantId: string; actor: ServiceContext["actor"]; action: string; targetType: string; targetId: string; data?: Record<string, unknown>; at: Date };

/**
 * Many verbs' rows at once, for a bill run that settles a batch of charges in one transaction. The changes merchants'
 * systems hear about are among these rows, so their events (outgoing webhooks) are written here too.
 */
export async function recordAudits(tx: Db, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await bulkInsert(
    tx,
    auditEvents,
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
  const events: EventToRecord[] = [];
  for (const e of entries) {
    const type = eventTypeOfAudit(e.action, e.data);
    if (type) events.push({ merchantId: e.merchantId, type, objectId: e.targetId, at: e.at });
  }
  await recordEvents(tx, events);
}
