import { and, eq, inArray, sql } from "drizzle-orm";
import { bulkInsert, bulkUpdate, rowsOf } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { mailEvents, mails, mailSuppressions } from "@/db/schema";
import { newId } from "@/lib/ids";
import { recordEvents } from "./events";

/**
 * The delivery worker's side of the mails table: claiming due rows under a lease, writing what was rendered and the
 * batch each row goes in, and each row's outcome with its events. Every write after the claim is fenced by the
 * lease (status still queued, lease_until still this worker's): a worker whose lease lapsed writes nothing.
 */

export type MailRow = typeof mails.$inferSelect;
export type Claim = { rows: MailRow[]; until: Date };

/**
 * Takes up to `limit` queued mails that are due (next_attempt_at null = now) and nobody holds, for `leaseSeconds`,
 * counting an attempt on each. SKIP LOCKED: workers claiming at once take different rows. A row that was already
 * handed over in a batch brings the rest of its batch along, so the batch goes again as the same request.
 */
export async function claimDueMails(db: Db, now: Date, limit: number, leaseSeconds: number): Promise<Claim> {
  const until = new Date(now.getTime() + leaseSeconds * 1000);
  const free = sql`(${mails.leaseUntil} is null or ${mails.leaseUntil} < ${now.toISOString()}::timestamptz)`;
  const rows = await db
    .update(mails)
    .set({ leaseUntil: until, attempts: sql`${mails.attempts} + 1` })
    .where(
      sql`${mails.status} = 'queued' and ${free} and ${mails.id} in (
        with due as (
          select id, batch_key from ${mails}
          where status = 'queued' and (next_attempt_at is null or next_attempt_at <= ${now.toISOString()}::timestamptz) and ${free}
          order by next_attempt_at, id
          limit ${limit}
          for update skip locked
        )
        select id from due
        union
        select m.id from ${mails} m join due on m.batch_key = due.batch_key where m.status = 'queued')`,
    )
    .returning();
  return { rows, until };
}

/** Queued rows of these batches, whoever holds them: a batch is sent only when this worker holds all of it. */
export async function queuedBatchSizes(db: Db, batchKeys: readonly string[]): Promise<Map<string, number>> {
  if (batchKeys.length === 0) return new Map();
  const rows = await db
    .select({ key: mails.batchKey, n: sql<number>`count(*)::int` })
    .from(mails)
    .where(and(eq(mails.status, "queued"), inArray(mails.batchKey, [...batchKeys])))
    .groupBy(mails.batchKey);
  return new Map(rows.map((r) => [r.key!, Number(r.n)]));
}

/** Lets rows go before their lease ends (a batch held in part by another worker): not before `at`. */
export async function releaseMails(db: Db, claim: Claim, ids: readonly string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(mails)
    .set({ leaseUntil: at })
    .where(and(inArray(mails.id, [...ids]), eq(mails.status, "queued"), eq(mails.leaseUntil, claim.until)));
}

/** For each (merchant, address): whether the address is on the merchant's suppression list. Keys: `merchant\0address`. */
export async function suppressedAddresses(db: Db, rows: readonly Pick<MailRow, "merchantId" | "toAddress">[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const pairs = [...new Set(rows.map((r) => `${r.merchantId}\u0000${r.toAddress.toLowerCase()}`))].map((k) => k.split("\u0000"));
  const found = rowsOf<{ merchant_id: string; address: string }>(
    await db.execute(sql`
      select s.merchant_id, s.address from ${mailSuppressions} s
      join jsonb_to_recordset(${JSON.stringify(pairs.map(([merchantId, address]) => ({ merchantId, address })))}::jsonb) as p("merchantId" text, address text)
        on s.merchant_id = p."merchantId" and s.address = p.address`),
  );
  return new Set(found.map((r) => `${r.merchant_id}\u0000${r.address}`));
}

export type Handover = Pick<MailRow, "id" | "subject" | "html" | "textBody" | "variables" | "fromHeader" | "replyTo" | "renderedAt" | "batchKey">;

/**
 * Stores what each row will be sent as (with the variables it was rendered with, its signed links among them) and the
 * batch it goes in, before the request. Returns the ids still held by
 * this claim (the others are another worker's now, and are not sent from here).
 */
export async function storeHandover(db: Db, claim: Claim, rows: readonly Handover[]): Promise<Set<string>> {
  const held = await bulkUpdate(db, mails, rows, {
    key: "id",
    columns: ["subject", "html", "textBody", "variables", "fromHeader", "replyTo", "renderedAt", "batchKey"],
    where: (t) => sql`${t.status} = 'queued' and ${t.leaseUntil} = ${claim.until.toISOString()}::timestamptz`,
  });
  return new Set(held);
}

export type MailOutcome = {
  id: string;
  merchantId: string;
  status: MailRow["status"];
  statusReason: string | null;
  providerMessageId: string | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  sentAt: Date | null;
  event: { kind: string; detail: Record<string, unknown> };
};

/** Writes outcomes and their events in one transaction, for the rows this claim still holds. Returns the ids written. */
export async function recordOutcomes(db: Db, claim: Claim, outcomes: readonly MailOutcome[], at: Date): Promise<string[]> {
  if (outcomes.length === 0) return [];
  return db.transaction(async (tx) => {
    const rows = outcomes.map((o) => ({
      id: o.id,
      status: o.status,
      statusReason: o.statusReason,
      providerMessageId: o.providerMessageId,
      lastError: o.lastError,
      nextAttemptAt: o.nextAttemptAt,
      sentAt: o.sentAt,
      leaseUntil: null,
    }));
    const written = await bulkUpdate(tx, mails, rows, {
      key: "id",
      columns: ["status", "statusReason", "providerMessageId", "lastError", "nextAttemptAt", "sentAt", "leaseUntil"],
      where: (t) => sql`${t.status} = 'queued' and ${t.leaseUntil} = ${claim.until.toISOString()}::timestamptz`,
    });
    const done = new Set(written);
    await bulkInsert(
      tx,
      mailEvents,
      outcomes.filter((o) => done.has(o.id)).map((o) => ({ id: newId("mev"), merchantId: o.merchantId, mailId: o.id, kind: o.event.kind, detail: o.event.detail, at })),
    );
    await recordEvents(
      tx,
      outcomes.filter((o) => done.has(o.id) && o.status === "sent").map((o) => ({ merchantId: o.merchantId, type: "mail.sent" as const, objectId: o.id, at })),
    );
    return written;
  });
}
