import { createHash } from "node:crypto";
import { Resend } from "resend";
import type { DeliveryResult, Mailer, OutgoingMail } from "./mailer";

export type ResendMailerOptions = {
  apiKey: string;
  /** Another address for Resend's API; the SDK reads RESEND_BASE_URL itself when this is unset. */
  baseUrl?: string;
  /** Tries of one request within a send (the first included) before the worker is told to retry later. */
  tries?: number;
  /** The longest wait between tries within a send; a longer retry-after is left to the worker. */
  maxWaitMs?: number;
  /** Waits for 429/5xx without a retry-after: base × 2^try, capped at maxWaitMs. */
  backoffBaseMs?: number;
};

type Attempt = { ok: true; ids: (string | { error: string })[] } | { ok: false; permanent: boolean; rateLimited: boolean; error: string; retryAfterMs: number | null };
type ResendError = { message: string; statusCode: number | null; name: string };

/**
 * Delivery through Resend with the official SDK. One mail goes to POST /emails with the mail's own idempotency key;
 * a batch goes to POST /emails/batch (permissive validation: a bad address fails alone, the others are sent) with a
 * key made of its mails' keys, so the same batch sent again — the worker keeps a batch together until its outcome is
 * recorded — is the same request to Resend, which answers it without sending anything again.
 *
 * Resend's batch endpoint takes no attachments: a mail with any leaves its batch and goes alone to POST /emails with
 * its own key (the others stay together, under the key of their own set). The worker sends a mail's attachments with
 * the same bytes at every send (lib/services/internal/mail-attachments.ts), so after a crash the mail is again the same
 * request with the same key, and Resend delivers it once (a changed body under a used key would be refused with 409).
 *
 * 429, 5xx and network errors are retried here a few times, waiting as long as `retry-after` says (or backing off);
 * a retry-after longer than `maxWaitMs`, and what still fails, come back as `retry` for the worker (which keeps the
 * rows queued until then). Other refusals (422 validation, 403 unverified domain, …) are permanent.
 */
export function createResendMailer(options: ResendMailerOptions): Mailer {
  const resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl } : undefined);
  const tries = options.tries ?? 4;
  const maxWaitMs = options.maxWaitMs ?? 10_000;
  const backoffBaseMs = options.backoffBaseMs ?? 250;
  let pausedUntil = 0;

  async function request(batch: readonly OutgoingMail[]): Promise<Attempt> {
    if (batch.length === 1) {
      const mail = batch[0]!;
      const { data, error, headers } = await resend.emails.send(toResend(mail), { idempotencyKey: mail.idempotencyKey });
      return error ? refusal(error, headers) : { ok: true, ids: [data.id] };
    }
    const { data, error, headers } = await resend.batch.send(batch.map(toResend), { idempotencyKey: batchKeyOf(batch), batchValidation: "permissive" });
    if (error) return refusal(error, headers);
    const failed = new Map(data.errors.map((e) => [e.index, e.message]));
    const accepted = data.data[Symbol.iterator]();
    return { ok: true, ids: batch.map((_, i) => (failed.has(i) ? { error: failed.get(i)! } : (accepted.next().value?.id ?? { error: "no id in Resend's answer" }))) };
  }

  /** One request (a batch, or a mail alone), tried again here while that may help. */
  async function deliver(batch: readonly OutgoingMail[]): Promise<DeliveryResult[]> {
    let last: Attempt | null = null;
    for (let attempt = 0; attempt < tries; attempt++) {
      const paused = pausedUntil - Date.now();
      if (paused > maxWaitMs) return batch.map(() => ({ status: "retry", error: last?.ok === false ? last.error : "429 rate_limit_exceeded: waiting for Resend's retry-after", retryAfterMs: paused }));
      last = await request(batch);
      if (last.ok) return last.ids.map((id): DeliveryResult => (typeof id === "string" ? { status: "sent", providerMessageId: id } : { status: "failed", error: id.error }));
      if (last.permanent) break;
      const waitMs = last.retryAfterMs ?? Math.min(maxWaitMs, backoffBaseMs * 2 ** attempt);
      // A long wait asked for by a rate limit is the account's: every send leaves it to the worker until then. A
      // short one is waited out by this request alone: the others still in flight find out for themselves, and a
      // 429 now and then does not stall them all (measured: a shared pause cost ~10 % of the limit).
      if (last.rateLimited && last.retryAfterMs !== null && last.retryAfterMs > maxWaitMs) pausedUntil = Math.max(pausedUntil, Date.now() + last.retryAfterMs);
      if (attempt === tries - 1 || waitMs > maxWaitMs) break;
      await sleep(waitMs);
    }
    const failure = last as Extract<Attempt, { ok: false }>;
    return batch.map((): DeliveryResult => (failure.permanent ? { status: "failed", error: failure.error } : { status: "retry", error: failure.error, retryAfterMs: failure.retryAfterMs }));
  }

  return {
    name: "resend",
    async send(batch) {
      if (batch.length === 0) return [];
      const alone = batch.filter((m) => m.attachments?.length);
      if (alone.length === 0) return deliver(batch);
      const together = batch.filter((m) => !m.attachments?.length);
      const parts = [...alone.map((m) => [m]), ...(together.length ? [together] : [])];
      const answers = await Promise.all(parts.map(deliver));
      const answerOf = new Map(parts.flatMap((part, p) => part.map((m, i) => [m, answers[p]![i]!] as const)));
      return batch.map((m) => answerOf.get(m)!);
    },
  };
}

/** The key of a batch request: the same mails (in any order) give the same key, any other set another. */
export function batchKeyOf(batch: readonly Pick<OutgoingMail, "idempotencyKey">[]): string {
  const keys = batch.map((m) => m.idempotencyKey).sort();
  return `batch/${createHash("sha256").update(keys.join("\n")).digest("base64url")}`;
}

function toResend(mail: OutgoingMail) {
  // A mail stored with text only (no HTML part) goes as text only. An attachment's bytes go as base64 (the SDK encodes
  // a Buffer); its name as it is, UTF-8 in the JSON body (Resend writes the MIME headers), its type given, not guessed.
  const attachments = mail.attachments?.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType }));
  return { from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, ...(mail.html ? { html: mail.html } : {}), ...(mail.replyTo ? { replyTo: mail.replyTo } : {}), ...(mail.tags ? { tags: mail.tags } : {}), ...(attachments?.length ? { attachments } : {}) };
}

/**
 * What a refusal means. The SDK answers errors as values: Resend's JSON error body ({statusCode, name, message}) and
 * the response headers; statusCode null is a request that never got an answer (network), safe to repeat with its key.
 */
function refusal(error: ResendError, headers: Record<string, string> | null): Attempt {
  const status = error.statusCode;
  const transient = status === null || status === 429 || status >= 500 || error.name === "concurrent_idempotent_requests";
  return { ok: false, permanent: !transient, rateLimited: status === 429, error: `${status ?? "network"} ${error.name}: ${error.message}`.slice(0, 1000), retryAfterMs: retryAfterMs(headers?.["retry-after"]) };
}

/** retry-after in seconds (what Resend sends) or an HTTP date. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
