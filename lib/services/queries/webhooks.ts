import { and, desc, eq, getTableColumns, inArray } from "drizzle-orm";
import { webhookAttempts, webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { type PageRequest, pageConditions, toPage } from "./page";

type ReadContext = Pick<ServiceContext, "db" | "merchantId">;

/** An endpoint as reads show it: never its secret, which only its creation returns. */
export type WebhookEndpointView = Omit<typeof webhookEndpoints.$inferSelect, "secret">;

// Every column but the secret.
const endpointColumns = Object.fromEntries(Object.entries(getTableColumns(webhookEndpoints)).filter(([name]) => name !== "secret")) as Omit<ReturnType<typeof getTableColumns<typeof webhookEndpoints>>, "secret">;

export async function getWebhookEndpoint(ctx: ReadContext, id: string): Promise<WebhookEndpointView> {
  const [row] = await ctx.db.select(endpointColumns).from(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.merchantId, ctx.merchantId)));
  if (!row) throw notFound("webhook endpoint", id, "id");
  return row;
}

export async function listWebhookEndpoints(ctx: ReadContext, request: PageRequest) {
  const page = pageConditions(webhookEndpoints.id, request);
  const rows = await ctx.db.select(endpointColumns).from(webhookEndpoints).where(and(eq(webhookEndpoints.merchantId, ctx.merchantId), page.cursor)).orderBy(page.order).limit(page.take);
  return toPage(rows, request);
}

export async function getEvent(ctx: ReadContext, id: string) {
  const [row] = await ctx.db.select().from(webhookEvents).where(and(eq(webhookEvents.id, id), eq(webhookEvents.merchantId, ctx.merchantId)));
  if (!row) throw notFound("event", id, "id");
  return row;
}

export async function listEvents(ctx: ReadContext, request: PageRequest & { type?: string | null }) {
  const page = pageConditions(webhookEvents.id, request);
  const rows = await ctx.db
    .select()
    .from(webhookEvents)
    .where(and(eq(webhookEvents.merchantId, ctx.merchantId), request.type ? eq(webhookEvents.type, request.type) : undefined, page.cursor))
    .orderBy(page.order)
    .limit(page.take);
  return toPage(rows, request);
}

/** How many attempts the console's delivery log shows per endpoint. */
export const DELIVERY_LOG_LIMIT = 50;

export type DeliveryLogEntry = typeof webhookAttempts.$inferSelect & { eventType: string; deliveryStatus: string; resend: boolean };

/** An endpoint's latest attempts, newest first, with each one's event type and its delivery's state. */
export async function endpointDeliveryLog(ctx: ReadContext, endpointId: string, limit = DELIVERY_LOG_LIMIT): Promise<DeliveryLogEntry[]> {
  const rows = await ctx.db
    .select({ attempt: webhookAttempts, eventType: webhookEvents.type, deliveryStatus: webhookDeliveries.status, resend: webhookDeliveries.resend })
    .from(webhookAttempts)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookAttempts.eventId))
    .innerJoin(webhookDeliveries, eq(webhookDeliveries.id, webhookAttempts.deliveryId))
    .where(and(eq(webhookAttempts.merchantId, ctx.merchantId), eq(webhookAttempts.endpointId, endpointId)))
    .orderBy(desc(webhookAttempts.id))
    .limit(limit);
  return rows.map((r) => ({ ...r.attempt, eventType: r.eventType, deliveryStatus: r.deliveryStatus, resend: r.resend }));
}

/** Deliveries of these endpoints still waiting for an attempt (none made yet), for the console's "waiting" count. */
export async function pendingDeliveryCounts(ctx: ReadContext, endpointIds: readonly string[]): Promise<Map<string, number>> {
  if (endpointIds.length === 0) return new Map();
  const rows = await ctx.db
    .select({ endpointId: webhookDeliveries.endpointId })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.merchantId, ctx.merchantId), inArray(webhookDeliveries.endpointId, [...endpointIds]), eq(webhookDeliveries.status, "pending")));
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.endpointId, (counts.get(r.endpointId) ?? 0) + 1);
  return counts;
}
