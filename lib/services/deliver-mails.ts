import { groupBy } from "@/lib/group-by";
import type { DeliveryResult, OutgoingMail } from "@/lib/mail/mailer";
import { batchKeyOf } from "@/lib/mail/resend-mailer";
import type { Platform } from "./context";
import { renderAttachments } from "./internal/mail-attachments";
import { composeMails, type ReceiptSource } from "./internal/mail-compose";
import { type Claim, claimDueMails, type Handover, type MailOutcome, type MailRow, queuedBatchSizes, recordOutcomes, releaseMails, storeHandover, suppressedAddresses } from "./internal/mail-queue";

export type DeliverMailsOptions = {
  /** Rows claimed per pass. */
  limit: number;
  /** Mails per provider request (KEIZOKU_MAIL_BATCH; Resend's batch endpoint takes 100). */
  batchSize: number;
  /** Provider requests in flight at once. */
  concurrency: number;
  leaseSeconds: number;
  /** KEIZOKU_MAIL_FROM: the address every mail is sent from, behind the merchant's sender name. */
  mailFrom: string;
  /** Tries of a mail before it fails for good (`retries_exhausted`). */
  maxAttempts?: number;
  /** The receipt of a charge_succeeded mail with an invoice (lib/mail/receipt-data.ts through the platform). */
  receiptFor?: ReceiptSource | null;
};

export type DeliveryPass = { claimed: number; sent: number; failed: number; retried: number; notDelivered: number; suppressed: number; released: number };

export const MAX_MAIL_ATTEMPTS = 8;

/** The provider's idempotency key of an outbox row: its id, unique across merchants (all share one Resend account). */
export const mailKeyOf = (row: Pick<MailRow, "id">) => `mail/${row.id}`;

/**
 * One pass of the delivery worker, for every merchant: claims due queued mails, leaves those to suppressed addresses
 * (suppressed), signs the others' links now and renders them (a row rendered before is sent as stored, with fresh
 * links), stores the rendering and the batch each row goes in, hands the batches to the mailer, and records each
 * outcome with an event: sent (the provider's id), failed (refused for good, or out of tries), not_delivered (no
 * provider), or queued again for later, backing off and never before the provider's retry-after. A mail's attachments
 * (mails.attachments) are rendered from the database just before its request; a mail with any goes in a batch of its
 * own (the provider sends it alone, and a file that cannot be rendered holds back no other mail).
 *
 * Safe with several workers (rows are leased; every write is fenced by the lease) and after a crash mid-send: the
 * rows come back once their lease lapses, with their batch, and go again as the same request with the same
 * idempotency key, which the provider answers without sending again.
 */
export async function deliverMails(platform: Pick<Platform, "db" | "clock" | "mailer" | "links">, options: DeliverMailsOptions): Promise<DeliveryPass> {
  const { db, clock, mailer, links } = platform;
  const pass: DeliveryPass = { claimed: 0, sent: 0, failed: 0, retried: 0, notDelivered: 0, suppressed: 0, released: 0 };
  const claim = await claimDueMails(db, clock.now(), options.limit, options.leaseSeconds);
  pass.claimed = claim.rows.length;
  if (claim.rows.length === 0) return pass;

  const { batches: handedOver, released } = await wholeBatches(platform, claim);
  pass.released = released;
  const fresh = claim.rows.filter((r) => r.batchKey === null);
  const suppressed = await suppressedAddresses(db, fresh);
  const isSuppressed = (r: MailRow) => suppressed.has(`${r.merchantId}\u0000${r.toAddress.toLowerCase()}`);
  const outcomes: MailOutcome[] = fresh.filter(isSuppressed).map((r) => ({
    ...leaveQueue(r, "suppressed", "address_suppressed"),
    event: { kind: "suppressed", detail: { address: r.toAddress.toLowerCase() } },
  }));
  pass.suppressed = outcomes.length;

  const composed = await composeMails(
    db,
    fresh.filter((r) => !isSuppressed(r)),
    { mailFrom: options.mailFrom, now: clock.now(), links, receiptFor: options.receiptFor ?? null },
  );
  const rowById = new Map(claim.rows.map((r) => [r.id, r]));
  const newBatches = await handOver(platform, claim, composed, options.batchSize, (h) => rowById.get(h.id)!.attachments.length > 0);
  const batches = [...handedOver, ...newBatches];

  const results = await inPool(batches, options.concurrency, async (batch): Promise<DeliveryResult[]> => {
    const mails = await Promise.all(batch.map((h) => outgoing(db, h, rowById.get(h.id)!))).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    // A file that cannot be rendered sends nothing of its batch (its mail alone): it goes again as stored, and fails for good after its last try.
    if (mails instanceof Error) return batch.map(() => ({ status: "retry", error: `attachment not rendered: ${mails.message}`.slice(0, 1000), retryAfterMs: null }));
    return mailer.send(mails);
  });
  const now = clock.now();
  batches.forEach((batch, b) =>
    batch.forEach((h, i) => {
      const outcome = outcomeOf(rowById.get(h.id)!, results[b]![i]!, now, options.maxAttempts ?? MAX_MAIL_ATTEMPTS);
      pass[outcome.count]++;
      outcomes.push(outcome.outcome);
    }),
  );
  await recordOutcomes(db, claim, outcomes, now);
  return pass;
}

/**
 * Rows handed over before (a crash, or a retry after 429/5xx) go again as the batch they were in, and only when
 * this claim holds all of it; a batch held in part (two workers claimed it at once) is let go for a moment.
 */
async function wholeBatches({ db, clock }: Pick<Platform, "db" | "clock">, claim: Claim): Promise<{ batches: Handover[][]; released: number }> {
  const replays = groupBy(
    claim.rows.filter((r) => r.batchKey !== null),
    (r) => r.batchKey!,
  );
  if (replays.length === 0) return { batches: [], released: 0 };
  const sizes = await queuedBatchSizes(
    db,
    replays.map((b) => b[0]!.batchKey!),
  );
  const whole = replays.filter((b) => sizes.get(b[0]!.batchKey!) === b.length);
  const partial = replays.filter((b) => sizes.get(b[0]!.batchKey!) !== b.length).flat();
  await releaseMails(
    db,
    claim,
    partial.map((r) => r.id),
    new Date(clock.now().getTime() + 500 + Math.random() * 2000),
  );
  return { batches: whole.map((b) => byId(b).map((r) => ({ id: r.id, subject: r.subject, html: r.html, textBody: r.textBody, variables: r.variables, fromHeader: r.fromHeader, replyTo: r.replyTo, renderedAt: r.renderedAt, batchKey: r.batchKey }))), released: partial.length };
}

/**
 * Cuts rendered rows into batches (a row for which `alone` holds in a batch of its own), stores each row's rendering
 * and batch before any request; returns the batches still held whole.
 */
async function handOver({ db }: Pick<Platform, "db">, claim: Claim, composed: readonly Handover[], batchSize: number, alone: (h: Handover) => boolean): Promise<Handover[][]> {
  const batches: Handover[][] = [];
  const ordered = byId(composed);
  const together = ordered.filter((h) => !alone(h));
  const slices = ordered.filter(alone).map((h) => [h]);
  for (let i = 0; i < together.length; i += batchSize) slices.push(together.slice(i, i + batchSize));
  for (const slice of slices) {
    const key = batchKeyOf(slice.map((h) => ({ idempotencyKey: mailKeyOf(h) })));
    batches.push(slice.map((h) => ({ ...h, batchKey: key })));
  }
  const held = await storeHandover(db, claim, batches.flat());
  // A row lost meanwhile (its lease lapsed and another worker took it) takes its batch out of this pass: a smaller
  // set would be another request than the one stored, and the worker holding the rest sends it as stored later.
  return batches.filter((batch) => batch.every((h) => held.has(h.id)));
}

/** A batch's mails in one order (by id), at its first send and at every replay: the same request body each time. */
const byId = <T extends { id: string }>(rows: readonly T[]): T[] => [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** What a row is sent as: its stored rendering and its attachments, rendered now. */
async function outgoing(db: Platform["db"], h: Handover, row: MailRow): Promise<OutgoingMail> {
  const attachments = row.attachments.length ? await renderAttachments(db, row.merchantId, row.attachments) : [];
  return {
    from: h.fromHeader!,
    to: row.toAddress,
    replyTo: h.replyTo,
    subject: h.subject!,
    html: h.html!,
    text: h.textBody!,
    idempotencyKey: mailKeyOf(row),
    tags: [
      { name: "template", value: row.template },
      { name: "merchant", value: row.merchantId },
    ],
    ...(attachments.length ? { attachments } : {}),
  };
}

type Counted = { count: keyof Omit<DeliveryPass, "claimed" | "released">; outcome: MailOutcome };

function leaveQueue(row: MailRow, status: MailRow["status"], reason: string | null): Omit<MailOutcome, "event"> {
  return { id: row.id, merchantId: row.merchantId, status, statusReason: reason, providerMessageId: null, lastError: null, nextAttemptAt: null, sentAt: null };
}

/** Waits before the next try: 30 s doubling per attempt, at most an hour, never less than the provider asked. */
export function retryDelayMs(attempts: number, retryAfterMs: number | null): number {
  return Math.max(retryAfterMs ?? 0, Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempts - 1)));
}

function outcomeOf(row: MailRow, result: DeliveryResult, now: Date, maxAttempts: number): Counted {
  const attempt = row.attempts;
  switch (result.status) {
    case "sent":
      return {
        count: "sent",
        outcome: { ...leaveQueue(row, "sent", null), providerMessageId: result.providerMessageId, sentAt: now, event: { kind: "sent", detail: { providerMessageId: result.providerMessageId, attempt } } },
      };
    case "not_delivered":
      return { count: "notDelivered", outcome: { ...leaveQueue(row, "not_delivered", result.reason), event: { kind: "not_delivered", detail: { reason: result.reason } } } };
    case "failed":
      return { count: "failed", outcome: { ...leaveQueue(row, "failed", "rejected"), lastError: result.error, event: { kind: "failed", detail: { error: result.error, attempt } } } };
    case "retry":
      if (attempt >= maxAttempts) {
        return { count: "failed", outcome: { ...leaveQueue(row, "failed", "retries_exhausted"), lastError: result.error, event: { kind: "failed", detail: { error: result.error, attempt, reason: "retries_exhausted" } } } };
      }
      return {
        count: "retried",
        outcome: {
          ...leaveQueue(row, "queued", null),
          lastError: result.error,
          nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempt, result.retryAfterMs)),
          event: { kind: "attempt_failed", detail: { error: result.error, attempt, retryAfterMs: result.retryAfterMs } },
        },
      };
  }
}

/** Runs `work` on every item, at most `limit` at once; results in the items' order. */
export async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
