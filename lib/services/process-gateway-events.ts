import { and, eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { rowsOf } from "@/db/bulk-write";
import { gatewayEvents } from "@/db/schema";
import { nextAttemptAt } from "@/lib/webhooks/backoff";
import { authorize } from "./authorize";
import { type Platform, type ServiceContext, SYSTEM_ACTOR } from "./context";
import { conflict, notFound } from "./errors";
import { recordAudit } from "./internal/audit";
import { alreadyWaiting } from "./queries/gateway-event-search";
import { handleStripeEvent, NeedsAttention } from "./internal/stripe-event-handlers";

export type GatewayEventPass = { claimed: number; processed: number; ignored: number; retried: number; failed: number };

type Claimed = { id: string; merchantId: string; gateway: string; payload: Record<string, unknown>; occurredAt: Date; receivedAt: Date; attempts: number };

/**
 * Takes up to `limit` stored events that are due and that nobody holds, oldest first (by when the gateway made them,
 * so that one object's events are mostly taken in their order — the handlers do not rely on it), for `leaseSeconds`.
 */
async function claimDueEvents(platform: Pick<Platform, "db" | "clock">, limit: number, leaseSeconds: number): Promise<{ rows: Claimed[]; until: Date }> {
  const now = platform.clock.now();
  const until = new Date(now.getTime() + leaseSeconds * 1000);
  const at = now.toISOString();
  const rows = rowsOf<{ id: string; merchant_id: string; gateway: string; payload: unknown; occurred_at: string | Date; received_at: string | Date; attempts: number }>(
    await platform.db.execute(sql`
      with due as (
        select id from gateway_events
        where status = 'pending' and (next_attempt_at is null or next_attempt_at <= ${at}::timestamptz)
          and (lease_until is null or lease_until < ${at}::timestamptz)
        order by occurred_at, id
        limit ${limit}
        for update skip locked
      )
      update gateway_events g set lease_until = ${until.toISOString()}::timestamptz, attempts = g.attempts + 1
      from due where g.id = due.id
      returning g.id, g.merchant_id, g.gateway, g.payload, g.occurred_at, g.received_at, g.attempts`),
  );
  const claimed = rows.map((r) => ({
    id: r.id,
    merchantId: r.merchant_id,
    gateway: r.gateway,
    payload: (typeof r.payload === "string" ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
    occurredAt: new Date(r.occurred_at),
    receivedAt: new Date(r.received_at),
    attempts: Number(r.attempts),
  }));
  return { rows: claimed.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.id.localeCompare(b.id)), until };
}

/** Writes what processing found, if this worker still holds the event (its lease fences a late writer out). */
async function finish(platform: Pick<Platform, "db">, id: string, until: Date, set: Partial<typeof gatewayEvents.$inferInsert>): Promise<void> {
  await platform.db
    .update(gatewayEvents)
    .set({ ...set, leaseUntil: null })
    .where(and(eq(gatewayEvents.id, id), eq(gatewayEvents.leaseUntil, until)));
}

/**
 * One pass of the gateway-event worker, for every merchant: claims due events and processes each one in turn
 * (lib/services/internal/stripe-event-handlers.ts), each handler safe to repeat and indifferent to order. An event
 * that throws is tried again with the outgoing webhooks' backoff for three days after it arrived, then left
 * `failed`; one that needs staff (NeedsAttention) is `failed` at once. Staff can process any event again.
 */
export async function processGatewayEvents(platform: Platform, options: { limit: number; leaseSeconds: number }): Promise<GatewayEventPass> {
  const { rows, until } = await claimDueEvents(platform, options.limit, options.leaseSeconds);
  const pass: GatewayEventPass = { claimed: rows.length, processed: 0, ignored: 0, retried: 0, failed: 0 };
  for (const event of rows) {
    const ctx: ServiceContext = { ...platform, actor: SYSTEM_ACTOR, merchantId: event.merchantId };
    try {
      if (event.gateway !== "stripe") throw new NeedsAttention(`No handler for ${event.gateway} events`);
      const { status, outcome } = await handleStripeEvent(ctx, event.payload as unknown as Stripe.Event, event.occurredAt);
      pass[status]++;
      await finish(platform, event.id, until, { status, outcome, lastError: null, nextAttemptAt: null, processedAt: platform.clock.now() });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const now = platform.clock.now();
      const next = error instanceof NeedsAttention ? null : nextAttemptAt(event.receivedAt, event.attempts, now);
      if (next) pass.retried++;
      else pass.failed++;
      await finish(platform, event.id, until, { status: next ? "pending" : "failed", outcome: error instanceof NeedsAttention ? "needs_attention" : "error", lastError: message.slice(0, 2000), nextAttemptAt: next });
    }
  }
  return pass;
}

/**
 * Staff ask for an event to be processed again (after fixing what made it fail, or to replay one): it is due at
 * once, and the next pass processes it like a new one. Safe for any event: every handler is safe to repeat.
 */
export async function reprocessGatewayEvent(ctx: ServiceContext, input: { id: string }): Promise<void> {
  authorize(ctx.actor, "webhooks.manage");
  await ctx.db.transaction(async (tx) => {
    const [event] = await tx
      .select({ id: gatewayEvents.id, status: gatewayEvents.status, eventId: gatewayEvents.eventId, leaseUntil: gatewayEvents.leaseUntil, nextAttemptAt: gatewayEvents.nextAttemptAt })
      .from(gatewayEvents)
      .where(and(eq(gatewayEvents.id, input.id), eq(gatewayEvents.merchantId, ctx.merchantId)))
      .for("update");
    if (!event) throw notFound("gateway event", input.id);
    const now = ctx.clock.now();
    if (alreadyWaiting(event, now)) throw conflict("This event is already waiting to be processed", "already_pending");
    await tx.update(gatewayEvents).set({ status: "pending", nextAttemptAt: null, leaseUntil: null }).where(eq(gatewayEvents.id, event.id));
    await recordAudit(tx, ctx, { action: "gateway_event.reprocess", targetType: "gateway_event", targetId: event.id, data: { event: event.eventId, was: event.status }, at: now });
  });
}
