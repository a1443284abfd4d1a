import { and, desc, eq, ilike, or, type SQL, sql } from "drizzle-orm";
import { gatewayEvents } from "@/db/schema";
import type { ServiceContext } from "../context";
import { forbidden, notFound, parseInput } from "../errors";
import { type GatewayEventFilters, gatewayEventFilters } from "./gateway-event-search";
import { containsPattern, searchTerms } from "./text-match";

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

/** Where the merchant's Stripe account posts its events: the endpoint to add at Stripe (Developers › Webhooks). */
export function stripeWebhookUrl(ctx: Pick<ServiceContext, "links" | "merchantId">): string {
  return `${ctx.links.baseUrl}/api/webhooks/stripe/${ctx.merchantId}`;
}
