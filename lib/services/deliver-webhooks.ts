import { and, eq, isNotNull, sql } from "drizzle-orm";
import { bulkInsert } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { mailKeys } from "@/lib/billing/mail-template";
import { newId } from "@/lib/ids";
import { formatMailDate } from "@/lib/mail/mail-date";
import { failingTooLong, nextAttemptAt } from "@/lib/webhooks/backoff";
import { type PostResult, postWebhook, type WebhookPost } from "@/lib/webhooks/post";
import { SIGNATURE_HEADER, signatureHeader } from "@/lib/webhooks/signature";
import { resolveAllowed } from "@/lib/webhooks/url-policy";
import { type Platform, SYSTEM_ACTOR } from "./context";
import { inPool } from "./deliver-mails";
import { recordAudit } from "./internal/audit";
import { mailOwners } from "./internal/owner-mail";
import { type ClaimedDelivery, claimDueDeliveries, type DeliveryClaim } from "./internal/webhook-queue";
import { systemUrlCheck, type UrlCheck } from "./webhook-endpoints";

/** Where the console's webhook settings are: the owners' mail links there. */
export const WEBHOOKS_PATH = "/console/settings/webhooks";

export type DeliverWebhooksOptions = {
  limit: number;
  /** Requests in flight at once. */
  concurrency: number;
  leaseSeconds: number;
  check?: UrlCheck;
  post?: WebhookPost;
};

export type WebhookPass = { claimed: number; delivered: number; retried: number; failed: number; disabled: number };

/** The JSON a receiver gets: the event's id (the same on every attempt and resend), type, time and object. */
export function webhookBody(d: Pick<ClaimedDelivery, "eventId" | "eventType" | "eventCreatedAt" | "eventObject">): string {
  return JSON.stringify({ id: d.eventId, type: d.eventType, created: Math.floor(d.eventCreatedAt.getTime() / 1000), data: { object: d.eventObject } });
}

/**
 * One pass of the webhook worker, for every merchant: claims due deliveries, checks each URL's addresses again (a
 * name may resolve elsewhere since it was saved), POSTs the signed event, and records the attempt. A 2xx answer
 * delivers it; anything else is tried again on the backoff schedule for three days from its first attempt. An
 * endpoint whose deliveries have failed for three days is disabled, audited, and its merchant's owners mailed.
 */
export async function deliverWebhooks(platform: Pick<Platform, "db" | "clock" | "links">, options: DeliverWebhooksOptions): Promise<WebhookPass> {
  const { db, clock } = platform;
  const check = options.check ?? systemUrlCheck();
  const post = options.post ?? postWebhook;
  const pass: WebhookPass = { claimed: 0, delivered: 0, retried: 0, failed: 0, disabled: 0 };
  const claim = await claimDueDeliveries(db, clock.now(), options.limit, options.leaseSeconds);
  pass.claimed = claim.rows.length;
  await inPool(claim.rows, options.concurrency, async (delivery) => {
    const body = webhookBody(delivery);
    const headers = { "content-type": "application/json", "user-agent": "Keizoku-Webhooks/1.0", [SIGNATURE_HEADER]: signatureHeader(delivery.secret, body, clock.now()) };
    const started = Date.now();
    let result: PostResult;
    try {
      const address = await resolveAllowed(delivery.url, check.policy, check.lookup);
      result = await post({ url: delivery.url, address, headers, body });
    } catch (error) {
      result = { error: error instanceof Error ? error.message : String(error) };
    }
    const outcome = await recordAttempt(platform, claim, delivery, { headers, body, result, durationMs: Date.now() - started });
    pass[outcome]++;
  });
  return pass;
}

type AttemptRecord = { headers: Record<string, string>; body: string; result: PostResult; durationMs: number };

/** The attempt's log row, the delivery's new state and the endpoint's failure streak, in one transaction fenced by the lease. */
async function recordAttempt(platform: Pick<Platform, "db" | "clock" | "links">, claim: DeliveryClaim, d: ClaimedDelivery, attempt: AttemptRecord): Promise<keyof Omit<WebhookPass, "claimed">> {
  const now = platform.clock.now();
  const ok = "statusCode" in attempt.result && attempt.result.statusCode >= 200 && attempt.result.statusCode < 300;
  const statusCode = "statusCode" in attempt.result ? attempt.result.statusCode : null;
  const next = ok ? null : nextAttemptAt(d.firstAttemptAt, d.attempts, now);
  return platform.db.transaction(async (tx) => {
    const held = await tx
      .update(webhookDeliveries)
      .set({ status: ok ? "delivered" : next ? "pending" : "failed", nextAttemptAt: next, leaseUntil: null, lastStatusCode: statusCode })
      .where(and(eq(webhookDeliveries.id, d.id), eq(webhookDeliveries.status, "pending"), eq(webhookDeliveries.leaseUntil, claim.until)))
      .returning({ id: webhookDeliveries.id });
    // Another worker holds it now (our lease lapsed): its attempt is the one that counts, and it logs it.
    if (held.length === 0) return ok ? "delivered" : "retried";
    await bulkInsert(tx, webhookAttempts, [
      {
        id: newId("wha"),
        merchantId: d.merchantId,
        deliveryId: d.id,
        endpointId: d.endpointId,
        eventId: d.eventId,
        attemptNumber: d.attempts,
        url: d.url,
        requestHeaders: attempt.headers,
        requestBody: attempt.body,
        statusCode,
        responseBody: "body" in attempt.result ? attempt.result.body : null,
        durationMs: attempt.durationMs,
        error: "error" in attempt.result ? attempt.result.error : null,
        at: now,
      },
    ]);
    if (ok) {
      // Only an endpoint that was failing is written: concurrent deliveries to one endpoint would queue on its row.
      await tx.update(webhookEndpoints).set({ failingSince: null }).where(and(eq(webhookEndpoints.id, d.endpointId), isNotNull(webhookEndpoints.failingSince)));
      return "delivered";
    }
    const [endpoint] = await tx
      .update(webhookEndpoints)
      .set({ failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${now.toISOString()}::timestamptz)` })
      .where(eq(webhookEndpoints.id, d.endpointId))
      .returning();
    if (endpoint && endpoint.status === "enabled" && failingTooLong(endpoint.failingSince, now)) {
      await disableFailingEndpoint(tx, platform, endpoint, now);
      return "disabled";
    }
    return next ? "retried" : "failed";
  });
}

/** Turns the endpoint off after three days of failures, audited as the system's doing, and mails each owner once. */
async function disableFailingEndpoint(tx: Db, platform: Pick<Platform, "links">, endpoint: typeof webhookEndpoints.$inferSelect, now: Date): Promise<void> {
  await tx.update(webhookEndpoints).set({ status: "disabled", disabledReason: "failing", updatedAt: now }).where(eq(webhookEndpoints.id, endpoint.id));
  await recordAudit(tx, { merchantId: endpoint.merchantId, actor: SYSTEM_ACTOR }, { action: "webhook_endpoint.disabled", targetType: "webhook_endpoint", targetId: endpoint.id, data: { reason: "failing", failingSince: endpoint.failingSince!.toISOString() }, at: now });
  await mailOwners(tx, {
    merchantId: endpoint.merchantId,
    template: "webhook_endpoint_disabled",
    at: now,
    variables: (owner, merchant) => ({
      endpoint_url: endpoint.url,
      failing_since: formatMailDate(endpoint.failingSince!, merchant.timeZone, owner.locale),
      webhooks_url: `${platform.links.baseUrl}${WEBHOOKS_PATH}`,
    }),
    idempotencyKey: (owner) => mailKeys.webhookEndpointDisabled(endpoint.id, owner.id, now),
  });
}
