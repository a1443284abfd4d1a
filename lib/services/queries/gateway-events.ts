import { and, desc, eq, ilike, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { gatewayEvents, type GatewayEventStatus } from "@/db/schema";
import type { ServiceContext } from "../context";
import { forbidden, notFound, parseInput } from "../errors";
import { containsPattern, searchTerms } from "./text-match";

/** The states a received event is in, in the order the console offers them as a filter. */
export const GATEWAY_EVENT_STATUSES = ["failed", "pending", "processed", "ignored"] as const satisfies readonly GatewayEventStatus[];

export const GATEWAY_EVENTS_PAGE_SIZE = 50;

/**
 * The received-events list's filters. q: part of the gateway's event id (evt_…) or of the object's id (pi_…, ch_…),
 * every word; type: a whole event type (payment_intent.succeeded); after: the last id of the page before (keyset).
 */
export const gatewayEventFilters = z.object({
  status: z.enum(GATEWAY_EVENT_STATUSES).nullish(),
  type: z
    .string()
    .trim()
    .max(100)
    .regex(/^[a-z0-9_.]*$/, "not an event type")
    .nullish(),
  q: z.string().max(200).nullish(),
  after: z
    .string()
    .max(100)
    .regex(/^gev_[0-9A-Za-z]+$/, "not an event id")
    .nullish(),
  limit: z.number().int().min(1).max(200).default(GATEWAY_EVENTS_PAGE_SIZE),
});
export type GatewayEventFilters = z.input<typeof gatewayEventFilters>;

/** A received event as the list shows it: everything but its payload. */
export type GatewayEventRow = Omit<typeof gatewayEvents.$inferSelect, "payload" | "leaseUntil">;
export type GatewayEventDetail = typeof gatewayEvents.$inferSelect;

/**
 * Who reads what the gateway sent: the merchant's staff of any role (a viewer too: it is the merchant's own record),
 * its API keys and the platform's operator. A customer's mypage never does.
 */
function authorizeRead(ctx: Pick<ServiceContext, "actor">): void {
  if (ctx.actor.type === "customer") throw forbidden("This is not available to customers", "realm");
}

const listColumns = {
  id: gatewayEvents.id,
  merchantId: gatewayEvents.merchantId,
  gateway: gatewayEvents.gateway,
  eventId: gatewayEvents.eventId,
  type: gatewayEvents.type,
  objectId: gatewayEvents.objectId,
  livemode: gatewayEvents.livemode,
  occurredAt: gatewayEvents.occurredAt,
  receivedAt: gatewayEvents.receivedAt,
  status: gatewayEvents.status,
  outcome: gatewayEvents.outcome,
  attempts: gatewayEvents.attempts,
  lastError: gatewayEvents.lastError,
  nextAttemptAt: gatewayEvents.nextAttemptAt,
  processedAt: gatewayEvents.processedAt,
};

/**
 * One page of the events the merchant's gateway posted, newest received first (along the (merchant_id, received_at)
 * index), filtered by status, type and part of an id. Paged by the last row's id: the next page starts after that
 * row's (received_at, id); an id that is not the merchant's pages to nothing. `hasMore` says whether a next page exists.
 */
export async function listGatewayEvents(ctx: Pick<ServiceContext, "db" | "merchantId" | "actor">, input: GatewayEventFilters): Promise<{ rows: GatewayEventRow[]; hasMore: boolean }> {
  const filters = parseInput(gatewayEventFilters, input);
  authorizeRead(ctx);
  const where: (SQL | undefined)[] = [eq(gatewayEvents.merchantId, ctx.merchantId)];
  if (filters.status) where.push(eq(gatewayEvents.status, filters.status));
  if (filters.type) where.push(eq(gatewayEvents.type, filters.type));
  for (const term of searchTerms(filters.q)) where.push(or(ilike(gatewayEvents.eventId, containsPattern(term)), ilike(gatewayEvents.objectId, containsPattern(term))));
  if (filters.after) {
    where.push(
      sql`(${gatewayEvents.receivedAt}, ${gatewayEvents.id}) < (select g.received_at, g.id from gateway_events g where g.id = ${filters.after} and g.merchant_id = ${ctx.merchantId})`,
    );
  }
  const rows = await ctx.db
    .select(listColumns)
    .from(gatewayEvents)
    .where(and(...where))
    .orderBy(desc(gatewayEvents.receivedAt), desc(gatewayEvents.id))
    .limit(filters.limit + 1);
  return { rows: rows.slice(0, filters.limit), hasMore: rows.length > filters.limit };
}

/** One received event of the merchant with the payload as the gateway sent it; another merchant's is not found. */
export async function getGatewayEvent(ctx: Pick<ServiceContext, "db" | "merchantId" | "actor">, id: string): Promise<GatewayEventDetail> {
  authorizeRead(ctx);
  const [row] = await ctx.db
    .select()
    .from(gatewayEvents)
    .where(and(eq(gatewayEvents.id, id), eq(gatewayEvents.merchantId, ctx.merchantId)));
  if (!row) throw notFound("gateway event", id, "id");
  return row;
}

/**
 * Whether staff may ask for this event to be processed again now, as reprocessGatewayEvent decides: not while it is
 * already waiting (pending and due, or being processed); a pending event waiting for a later retry may be hurried.
 */
export function alreadyWaiting(event: Pick<GatewayEventRow, "status" | "nextAttemptAt">, now: Date): boolean {
  return event.status === "pending" && (!event.nextAttemptAt || event.nextAttemptAt <= now);
}
