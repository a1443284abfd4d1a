import { and, eq, inArray } from "drizzle-orm";
import { bulkInsert } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { customers, invoices, mails, subscriptions, webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";
import { toCustomer } from "@/lib/api/objects/customers";
import { toInvoice } from "@/lib/api/objects/invoices";
import { toMail } from "@/lib/api/objects/mails";
import { toSubscription } from "@/lib/api/objects/subscription-object";
import { groupBy } from "@/lib/group-by";
import { newId } from "@/lib/ids";
import { type EventObjectType, type EventType, endpointWants, objectTypeOf } from "@/lib/webhooks/event-types";
import { withLinesAndAttempts } from "../queries/invoices";
import { withDerived } from "../queries/subscriptions";

export type EventToRecord = { merchantId: string; type: EventType; objectId: string; at: Date };

type Snapshot = { object: Record<string, unknown>; testClockId: string | null };

/**
 * Writes events with their objects' current API representation, in the caller's transaction (after its changes, so
 * the snapshot shows them), and queues a delivery to each enabled endpoint that listens. Set-based: a bill run's
 * flush loads each kind of object once per merchant and writes all events and deliveries in two statements.
 */
export async function recordEvents(tx: Db, entries: readonly EventToRecord[]): Promise<void> {
  if (entries.length === 0) return;
  const snapshots = new Map<string, Snapshot>();
  for (const group of groupBy(entries, (e) => `${e.merchantId}\u0000${objectTypeOf(e.type)}`)) {
    const { merchantId } = group[0]!;
    const ids = [...new Set(group.map((e) => e.objectId))];
    for (const [id, snapshot] of await SNAPSHOT[objectTypeOf(group[0]!.type)](tx, merchantId, ids)) snapshots.set(id, snapshot);
  }
  const rows = entries.flatMap((e) => {
    const snapshot = snapshots.get(e.objectId);
    if (!snapshot) return [];
    return [{ id: newId("evt"), merchantId: e.merchantId, type: e.type, objectType: objectTypeOf(e.type), objectId: e.objectId, object: snapshot.object, testClockId: snapshot.testClockId, createdAt: e.at }];
  });
  if (rows.length === 0) return;
  await bulkInsert(tx, webhookEvents, rows);
  await queueDeliveries(tx, rows);
}

/** One delivery per (new event, enabled endpoint of its merchant that listens to its type), due at once. */
async function queueDeliveries(tx: Db, events: readonly { id: string; merchantId: string; type: string; createdAt: Date }[]): Promise<void> {
  const merchantIds = [...new Set(events.map((e) => e.merchantId))];
  const endpoints = await tx
    .select({ id: webhookEndpoints.id, merchantId: webhookEndpoints.merchantId, enabledEvents: webhookEndpoints.enabledEvents })
    .from(webhookEndpoints)
    .where(and(inArray(webhookEndpoints.merchantId, merchantIds), eq(webhookEndpoints.status, "enabled")));
  if (endpoints.length === 0) return;
  const deliveries = events.flatMap((e) =>
    endpoints.filter((w) => w.merchantId === e.merchantId && endpointWants(w.enabledEvents, e.type)).map((w) => ({ id: newId("whd"), merchantId: e.merchantId, endpointId: w.id, eventId: e.id, nextAttemptAt: null })),
  );
  await bulkInsert(tx, webhookDeliveries, deliveries);
}

const SNAPSHOT: Record<EventObjectType, (tx: Db, merchantId: string, ids: string[]) => Promise<Map<string, Snapshot>>> = {
  subscription: async (tx, merchantId, ids) => {
    const rows = await tx.select().from(subscriptions).where(and(eq(subscriptions.merchantId, merchantId), inArray(subscriptions.id, ids)));
    const views = await withDerived({ db: tx, merchantId }, rows);
    return new Map(views.map((v) => [v.id, { object: toSubscription(v), testClockId: v.testClockId }]));
  },
  invoice: async (tx, merchantId, ids) => {
    const rows = await tx
      .select({ invoice: invoices, testClockId: subscriptions.testClockId })
      .from(invoices)
      .leftJoin(subscriptions, eq(subscriptions.id, invoices.subscriptionId))
      .where(and(eq(invoices.merchantId, merchantId), inArray(invoices.id, ids)));
    const clocks = new Map(rows.map((r) => [r.invoice.id, r.testClockId]));
    const views = await withLinesAndAttempts({ db: tx, merchantId }, rows.map((r) => r.invoice));
    return new Map(views.map((v) => [v.id, { object: toInvoice(v), testClockId: clocks.get(v.id) ?? null }]));
  },
  customer: async (tx, merchantId, ids) => {
    const rows = await tx.select().from(customers).where(and(eq(customers.merchantId, merchantId), inArray(customers.id, ids)));
    return new Map(rows.map((r) => [r.id, { object: toCustomer(r), testClockId: r.testClockId }]));
  },
  mail: async (tx, merchantId, ids) => {
    const rows = await tx.select().from(mails).where(and(eq(mails.merchantId, merchantId), inArray(mails.id, ids)));
    return new Map(rows.map((r) => [r.id, { object: toMail(r), testClockId: r.testClockId }]));
  },
};
