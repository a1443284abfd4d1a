import { and, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { apiIdempotencyKeys, customerSessions, customerTokens, gatewayEvents, signInThrottles, staffInvitations, webhookDeliveries, webhookEvents } from "@/db/schema";
import { ADDRESS_RULE, EMAIL_RULE } from "@/lib/auth/sign-in-throttle";
import type { Platform } from "./context";

/** Rows are kept a day past their expiry: a support question about a link that "did not work" can still be answered. */
const KEEP_AFTER_EXPIRY_MS = 24 * 60 * 60_000;
/** Deleted in chunks, so that one purge never holds a long transaction over tables sign-in uses. */
const CHUNK = 5_000;

/** Events, their deliveries' logs and received gateway events are kept 30 days, as Stripe keeps its own events. */
export const EVENT_RETENTION_MS = 30 * 24 * 60 * 60_000;
/** A gateway event that failed is kept longer: staff may not have looked at it yet. */
export const FAILED_GATEWAY_EVENT_RETENTION_MS = 90 * 24 * 60 * 60_000;

export type PurgeCounts = {
  customerSessions: number;
  customerTokens: number;
  idempotencyKeys: number;
  signInThrottles: number;
  staffInvitations: number;
  webhookDeliveries: number;
  events: number;
  gatewayEvents: number;
};

/**
 * The smallest id `prefix` gives at `at`: ids are time-ordered (lib/ids.ts, the UUIDv7's first 48 bits are the
 * millisecond), so "made before `at`" is `id < idAt(…)`, a range of the primary key, with no index on a time column.
 */
export function idAt(prefix: string, at: Date): string {
  return `${prefix}_${at.getTime().toString(16).padStart(12, "0")}${"0".repeat(20)}`;
}

/**
 * Deletes what can no longer be used: mypage sessions, mailed tokens and staff invitations past their expiry (an
 * invitation's acceptance stays in the audit log), the REST API's
 * idempotency records past their 24 h, and sign-in throttle counters the rules have forgotten (no lock in force and
 * the last failure older than the longest forget window); and, past their retention, merchants' events with the
 * deliveries and logs of each (never one still being delivered) and received gateway events (never one waiting to be
 * processed). Safe to run at any time and from several places at once.
 */
export async function purgeExpired(platform: Pick<Platform, "db" | "clock">): Promise<PurgeCounts> {
  const now = platform.clock.now();
  const cutoff = new Date(now.getTime() - KEEP_AFTER_EXPIRY_MS);
  const forgottenBefore = new Date(now.getTime() - Math.max(EMAIL_RULE.forgetAfterSeconds, ADDRESS_RULE.forgetAfterSeconds) * 1000);
  return {
    customerSessions: await deleteInChunks(platform, customerSessions, sql`${customerSessions.id}`, lt(customerSessions.expiresAt, cutoff)),
    customerTokens: await deleteInChunks(platform, customerTokens, sql`${customerTokens.id}`, lt(customerTokens.expiresAt, cutoff)),
    idempotencyKeys: await deleteInChunks(
      platform,
      apiIdempotencyKeys,
      sql`${apiIdempotencyKeys.merchantId}, ${apiIdempotencyKeys.key}`,
      and(lt(apiIdempotencyKeys.expiresAt, cutoff), or(isNull(apiIdempotencyKeys.lockedUntil), lt(apiIdempotencyKeys.lockedUntil, now))),
    ),
    signInThrottles: await deleteInChunks(
      platform,
      signInThrottles,
      sql`${signInThrottles.key}`,
      and(lt(signInThrottles.lastFailedAt, forgottenBefore), or(isNull(signInThrottles.lockedUntil), lt(signInThrottles.lockedUntil, now))),
    ),
    staffInvitations: await deleteInChunks(platform, staffInvitations, sql`${staffInvitations.id}`, lt(staffInvitations.expiresAt, cutoff)),
    ...(await purgeOldEvents(platform, now)),
  };
}

async function purgeOldEvents(platform: Pick<Platform, "db">, now: Date): Promise<Pick<PurgeCounts, "webhookDeliveries" | "events" | "gatewayEvents">> {
  const before = new Date(now.getTime() - EVENT_RETENTION_MS);
  const failedBefore = new Date(now.getTime() - FAILED_GATEWAY_EVENT_RETENTION_MS);
  const oldEvent = lt(webhookEvents.id, idAt("evt", before));
  // Deliveries go first (their attempts with them, on cascade), then the events nothing delivers any more.
  const webhookDeliveriesPurged = await deleteInChunks(
    platform,
    webhookDeliveries,
    sql`${webhookDeliveries.id}`,
    sql`${webhookDeliveries.status} <> 'pending' and ${webhookDeliveries.eventId} < ${idAt("evt", before)}`,
  );
  const events = await deleteInChunks(
    platform,
    webhookEvents,
    sql`${webhookEvents.id}`,
    and(oldEvent, sql`not exists (select 1 from ${webhookDeliveries} d where d.event_id = ${webhookEvents.id})`),
  );
  const gatewayEventsPurged = await deleteInChunks(
    platform,
    gatewayEvents,
    sql`${gatewayEvents.id}`,
    or(
      and(lt(gatewayEvents.id, idAt("gev", before)), sql`${gatewayEvents.status} in ('processed', 'ignored')`),
      and(lt(gatewayEvents.id, idAt("gev", failedBefore)), sql`${gatewayEvents.status} = 'failed'`),
    ),
  );
  return { webhookDeliveries: webhookDeliveriesPurged, events, gatewayEvents: gatewayEventsPurged };
}

/** `keys`: the columns that name a row (the primary key), as a list. */
async function deleteInChunks(platform: Pick<Platform, "db">, table: PgTable, keys: SQL, where: SQL | undefined): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await platform.db
      .delete(table)
      .where(sql`(${keys}) in (select ${keys} from ${table} where ${where} limit ${CHUNK})`)
      .returning({ one: sql`1` });
    total += deleted.length;
    if (deleted.length < CHUNK) return total;
  }
}
