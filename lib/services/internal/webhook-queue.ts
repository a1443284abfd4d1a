import { sql } from "drizzle-orm";
import { rowsOf } from "@/db/bulk-write";
import type { Db } from "@/db/client";

/** A claimed delivery with what sending it needs: its event and its endpoint. */
export type ClaimedDelivery = {
  id: string;
  merchantId: string;
  attempts: number;
  firstAttemptAt: Date;
  eventId: string;
  eventType: string;
  eventObject: Record<string, unknown>;
  eventCreatedAt: Date;
  endpointId: string;
  url: string;
  secret: string;
};
export type DeliveryClaim = { rows: ClaimedDelivery[]; until: Date };

/**
 * Takes up to `limit` due deliveries of enabled endpoints that nobody holds, for `leaseSeconds`, counting an attempt
 * on each (and stamping the first). SKIP LOCKED: workers claiming at once take different rows; every write after
 * the claim is fenced by the lease, so two workers never deliver one attempt at once.
 */
export async function claimDueDeliveries(db: Db, now: Date, limit: number, leaseSeconds: number): Promise<DeliveryClaim> {
  const until = new Date(now.getTime() + leaseSeconds * 1000);
  const at = now.toISOString();
  const rows = rowsOf<{
    id: string;
    merchant_id: string;
    attempts: number;
    first_attempt_at: string | Date;
    event_id: string;
    type: string;
    object: Record<string, unknown>;
    created_at: string | Date;
    endpoint_id: string;
    url: string;
    secret: string;
  }>(
    await db.execute(sql`
      with due as (
        select d.id from webhook_deliveries d join webhook_endpoints w on w.id = d.endpoint_id
        where d.status = 'pending' and w.status = 'enabled'
          and (d.next_attempt_at is null or d.next_attempt_at <= ${at}::timestamptz)
          and (d.lease_until is null or d.lease_until < ${at}::timestamptz)
        order by d.next_attempt_at nulls first, d.id
        limit ${limit}
        for update of d skip locked
      ), claimed as (
        update webhook_deliveries d set lease_until = ${until.toISOString()}::timestamptz, attempts = d.attempts + 1,
          first_attempt_at = coalesce(d.first_attempt_at, ${at}::timestamptz)
        from due where d.id = due.id
        returning d.id, d.merchant_id, d.attempts, d.first_attempt_at, d.event_id, d.endpoint_id
      )
      select c.*, e.type, e.object, e.created_at, w.url, w.secret
      from claimed c join events e on e.id = c.event_id join webhook_endpoints w on w.id = c.endpoint_id
      order by c.id`),
  );
  return {
    until,
    rows: rows.map((r) => ({
      id: r.id,
      merchantId: r.merchant_id,
      attempts: Number(r.attempts),
      firstAttemptAt: new Date(r.first_attempt_at),
      eventId: r.event_id,
      eventType: r.type,
      eventObject: typeof r.object === "string" ? (JSON.parse(r.object) as Record<string, unknown>) : r.object,
      eventCreatedAt: new Date(r.created_at),
      endpointId: r.endpoint_id,
      url: r.url,
      secret: r.secret,
    })),
  };
}
