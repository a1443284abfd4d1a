import { createHash, createHmac, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for Resend's servers, for tests and the mail benchmark only: a local HTTP server speaking enough of
 * Resend's API for the official SDK (POST /emails, POST /emails/batch, pointed at with RESEND_BASE_URL or the
 * SDK's baseUrl). Like Resend it counts requests against a rate limit (a token bucket: `rate` requests per second,
 * `burst` at once) and answers 429 with retry-after beyond it, honours Idempotency-Key (the same key and body →
 * the same answer and no new message; the same key with another body → 409), and validates addresses (a batch in
 * permissive mode reports bad ones by index), takes attachments on POST /emails only (a batch with any is refused, as
 * Resend refuses it) and records them (name, type, base64 content). It can be told to answer 429 now and then, 5xx for requests with
 * given addresses or for the next requests, and a validation error for given addresses. It records every message.
 */
export type StandInMessage = { id: string; from: string; to: string; subject: string; html: string; text: string; replyTo: string | null; idempotencyKey: string | null; attachments: StandInAttachment[] };
/** An attachment as Resend's API takes it: its content base64. */
export type StandInAttachment = { filename: string; contentType: string | null; content: string };

export type ResendStandIn = {
  url: string;
  messages: StandInMessage[];
  /** Requests answered, by outcome. */
  counts: { requests: number; accepted: number; rateLimited: number; serverErrors: number; replays: number };
  /** The next `n` requests answer `status` (5xx), with an optional retry-after. */
  failNext(n: number, status: number, retryAfterSeconds?: number): void;
  /** Requests with this address answer 500 (the whole request) until `heal`. */
  breakAddress(address: string): void;
  /** This address is refused as invalid (422 alone, or one error in a batch). */
  rejectAddress(address: string): void;
  heal(): void;
  close(): Promise<void>;
};

export type StandInOptions = {
  /** Requests per second (Resend counts requests, not mails). */
  rate?: number;
  burst?: number;
  /** Also answer 429 to this share (0..1) of requests within the limit: "now and then". */
  spurious429?: number;
  /** The retry-after sent with a 429, in seconds. */
  retryAfterSeconds?: number;
  /** A fixed port (the browser tests' server is told it before it starts); a free one by default. */
  port?: number;
};

type Stored = { bodyHash: string; status: number; body: unknown };

export async function startResendStandIn(options: StandInOptions = {}): Promise<ResendStandIn> {
  const rate = options.rate ?? 1_000_000;
  const burst = options.burst ?? Math.max(1, Math.ceil(rate));
  let tokens = burst;
  let refilledAt = performance.now();
  let failing: { n: number; status: number; retryAfter?: number } = { n: 0, status: 500 };
  const broken = new Set<string>();
  const rejected = new Set<string>();
  const idempotent = new Map<string, Stored>();
  const messages: StandInMessage[] = [];
  const counts = { requests: 0, accepted: 0, rateLimited: 0, serverErrors: 0, replays: 0 };

  const takeToken = () => {
    const now = performance.now();
    tokens = Math.min(burst, tokens + ((now - refilledAt) / 1000) * rate);
    refilledAt = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };

  const invalid = (mail: Record<string, unknown>): string | null => {
    const to = String(mail.to ?? "");
    if (!mail.from || !mail.subject || (!mail.html && !mail.text)) return "Missing required field";
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(to)) return `Invalid \`to\` field: ${to}`;
    if (rejected.has(to.toLowerCase())) return `Invalid \`to\` field: ${to}`;
    const attachments = mail.attachments ?? [];
    if (!Array.isArray(attachments) || attachments.some((a: Record<string, unknown>) => typeof a?.filename !== "string" || typeof a.content !== "string" || !/^[A-Za-z0-9+/]+=*$/.test(a.content))) return "Invalid `attachments` field";
    return null;
  };

  const record = (mail: Record<string, unknown>, key: string | null): string => {
    const id = randomUUID();
    const attachments = ((mail.attachments ?? []) as Record<string, string>[]).map((a) => ({ filename: a.filename!, contentType: a.content_type ?? null, content: a.content! }));
    messages.push({ id, from: String(mail.from), to: String(mail.to), subject: String(mail.subject), html: String(mail.html ?? ""), text: String(mail.text ?? ""), replyTo: mail.reply_to ? String(mail.reply_to) : null, idempotencyKey: key, attachments });
    return id;
  };

  const answer = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  const error = (status: number, name: string, message: string) => ({ statusCode: status, name, message });

  const handle = (path: string, req: IncomingMessage, raw: string): { status: number; body: unknown; headers?: Record<string, string>; store?: boolean } => {
    if (!req.headers.authorization?.startsWith("Bearer ")) return { status: 401, body: error(401, "missing_api_key", "Missing API key") };
    if (!takeToken() || Math.random() < (options.spurious429 ?? 0)) {
      counts.rateLimited++;
      return { status: 429, body: error(429, "rate_limit_exceeded", "Too many requests"), headers: { "retry-after": String(options.retryAfterSeconds ?? 1) } };
    }
    if (failing.n > 0) {
      failing.n--;
      counts.serverErrors++;
      return { status: failing.status, body: error(failing.status, "internal_server_error", "Stand-in told to fail"), headers: failing.retryAfter === undefined ? {} : { "retry-after": String(failing.retryAfter) } };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { status: 422, body: error(422, "validation_error", "Invalid JSON") };
    }
    const mails = (path === "/emails/batch" ? parsed : [parsed]) as Record<string, unknown>[];
    if (!Array.isArray(mails) || mails.length === 0 || mails.length > 100) return { status: 422, body: error(422, "validation_error", "A batch holds 1 to 100 emails") };
    if (mails.some((m) => broken.has(String(m.to).toLowerCase()))) {
      counts.serverErrors++;
      return { status: 500, body: error(500, "internal_server_error", "Stand-in told to fail for this address") };
    }
    const key = typeof req.headers["idempotency-key"] === "string" ? req.headers["idempotency-key"] : null;
    if (path === "/emails") {
      const problem = invalid(mails[0]!);
      if (problem) return { status: 422, body: error(422, "validation_error", problem) };
      counts.accepted++;
      return { status: 200, body: { id: record(mails[0]!, key) }, store: true };
    }
    if (mails.some((m) => m.attachments !== undefined)) return { status: 422, body: error(422, "validation_error", "Attachments are not supported in batch emails") };
    const problems = mails.map(invalid);
    const permissive = req.headers["x-batch-validation"] === "permissive";
    if (!permissive && problems.some(Boolean)) return { status: 422, body: error(422, "validation_error", problems.find(Boolean)!) };
    counts.accepted++;
    const data = mails.flatMap((m, i) => (problems[i] ? [] : [{ id: record(m, key) }]));
    const errors = problems.flatMap((p, index) => (p ? [{ index, message: p }] : []));
    return { status: 200, body: permissive ? { data, errors } : { data }, store: true };
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      counts.requests++;
      const path = (req.url ?? "").split("?")[0]!;
      // Not Resend's: what the browser tests read back (the messages the server sent, and a health check to wait on).
      if (req.method === "GET" && path === "/_stand-in/messages") return answer(res, 200, messages);
      if (req.method !== "POST" || (path !== "/emails" && path !== "/emails/batch")) return answer(res, 404, error(404, "not_found", "Not found"));
      const raw = Buffer.concat(chunks).toString("utf8");
      const key = typeof req.headers["idempotency-key"] === "string" ? `${path} ${req.headers["idempotency-key"]}` : null;
      const bodyHash = createHash("sha256").update(raw).digest("hex");
      const seen = key ? idempotent.get(key) : undefined;
      if (seen) {
        if (seen.bodyHash !== bodyHash) return answer(res, 409, error(409, "invalid_idempotent_request", "Same idempotency key used with a different request payload"));
        counts.replays++;
        return answer(res, seen.status, seen.body);
      }
      const out = handle(path, req, raw);
      if (key && out.store) idempotent.set(key, { bodyHash, status: out.status, body: out.body });
      answer(res, out.status, out.body, out.headers);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    counts,
    failNext: (n, status, retryAfter) => void (failing = { n, status, retryAfter }),
    breakAddress: (address) => void broken.add(address.toLowerCase()),
    rejectAddress: (address) => void rejected.add(address.toLowerCase()),
    heal: () => {
      broken.clear();
      rejected.clear();
      failing = { n: 0, status: 500 };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Signs a webhook payload the way Resend does (Standard Webhooks, as svix: HMAC-SHA256 over
 * `${id}.${timestamp}.${body}` with the secret's base64 part), for tests of /api/webhooks/resend.
 */
export function signResendWebhook(secret: string, id: string, timestampSeconds: number, body: string): Record<string, string> {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestampSeconds}.${body}`).digest("base64");
  return { "svix-id": id, "svix-timestamp": String(timestampSeconds), "svix-signature": `v1,${signature}` };
}

