import { lookup } from "node:dns/promises";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { bulkInsert } from "@/db/bulk-write";
import { webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";
import { publicDeployment } from "@/lib/env";
import { newId } from "@/lib/ids";
import { EVENT_TYPES } from "@/lib/webhooks/event-types";
import { newEndpointSecret } from "@/lib/webhooks/signature";
import { type Lookup, resolveAllowed, UrlRefused, type UrlPolicy } from "@/lib/webhooks/url-policy";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { invalid, notFound, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";

/** How URLs are checked: a public deployment sends only to public https hosts; `lookup` resolves host names. */
export type UrlCheck = { policy: UrlPolicy; lookup: Lookup };

export const systemUrlCheck = (): UrlCheck => ({
  policy: { allowLoopback: !publicDeployment() },
  lookup: (host) => lookup(host, { all: true, verbatim: true }),
});

const enabledEvents = z
  .array(z.enum(["*", ...EVENT_TYPES]))
  .min(1, "choose at least one event type, or \"*\" for all")
  .transform((types) => (types.includes("*") ? ["*"] : [...new Set(types)].sort()));

const url = z.string().trim().min(1, "url is required").max(2048);
const description = z.string().trim().max(200);

export const createWebhookEndpointInput = z.object({ url, description: description.default(""), enabledEvents });
export const updateWebhookEndpointInput = z.object({
  endpointId: z.string().min(1),
  url: url.optional(),
  description: description.optional(),
  enabledEvents: enabledEvents.optional(),
  enabled: z.boolean().optional(),
});

async function checkUrl(raw: string, check: UrlCheck): Promise<void> {
  try {
    await resolveAllowed(raw, check.policy, check.lookup);
  } catch (error) {
    if (error instanceof UrlRefused) throw invalid(`url refused: ${error.message}`, "url", "url_refused");
    throw invalid(`url refused: its host could not be resolved`, "url", "url_unresolved");
  }
}

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;

/** A new endpoint, enabled. Its secret is returned here once; reads never show it again. */
export async function createWebhookEndpoint(
  ctx: ServiceContext,
  input: z.input<typeof createWebhookEndpointInput>,
  check: UrlCheck = systemUrlCheck(),
): Promise<WebhookEndpointRow> {
  const data = parseInput(createWebhookEndpointInput, input);
  authorize(ctx.actor, "webhooks.manage");
  await checkUrl(data.url, check);
  const now = ctx.clock.now();
  const row = { id: newId("we"), merchantId: ctx.merchantId, url: data.url, description: data.description, enabledEvents: data.enabledEvents, secret: newEndpointSecret(), status: "enabled" as const, createdAt: now, updatedAt: now };
  await ctx.db.transaction(async (tx) => {
    await tx.insert(webhookEndpoints).values(row);
    await recordAudit(tx, ctx, { action: "webhook_endpoint.created", targetType: "webhook_endpoint", targetId: row.id, data: { url: row.url, events: row.enabledEvents }, at: now });
  });
  return { ...row, disabledReason: null, failingSince: null };
}

/** Changes an endpoint's URL, description, events, or switches it on or off (on again: failures count from zero). */
export async function updateWebhookEndpoint(
  ctx: ServiceContext,
  input: z.input<typeof updateWebhookEndpointInput>,
  check: UrlCheck = systemUrlCheck(),
): Promise<WebhookEndpointRow> {
  const data = parseInput(updateWebhookEndpointInput, input);
  authorize(ctx.actor, "webhooks.manage");
  if (data.url !== undefined) await checkUrl(data.url, check);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.id, data.endpointId), eq(webhookEndpoints.merchantId, ctx.merchantId))).for("update");
    if (!before) throw notFound("webhook endpoint", data.endpointId, "endpointId");
    const status = data.enabled === undefined ? before.status : data.enabled ? ("enabled" as const) : ("disabled" as const);
    const switched = status !== before.status;
    const changes = {
      ...(data.url !== undefined ? { url: data.url } : {}),
      ...(data.description !== undefined ? { description: data.description } : {}),
      ...(data.enabledEvents !== undefined ? { enabledEvents: data.enabledEvents } : {}),
      ...(switched ? { status, disabledReason: status === "disabled" ? "staff" : null, failingSince: null } : {}),
      updatedAt: now,
    };
    const [after] = await tx.update(webhookEndpoints).set(changes).where(eq(webhookEndpoints.id, before.id)).returning();
    const changed = Object.keys(changes).filter((k) => k !== "updatedAt" && k !== "disabledReason" && k !== "failingSince");
    await recordAudit(tx, ctx, { action: switched ? (status === "enabled" ? "webhook_endpoint.enabled" : "webhook_endpoint.disabled") : "webhook_endpoint.updated", targetType: "webhook_endpoint", targetId: before.id, data: { changed }, at: now });
    return after!;
  });
}

export const deleteWebhookEndpointInput = z.object({ endpointId: z.string().min(1) });

/** Deletes an endpoint with its deliveries and their log; the events stay. */
export async function deleteWebhookEndpoint(ctx: ServiceContext, input: z.input<typeof deleteWebhookEndpointInput>): Promise<{ id: string }> {
  const data = parseInput(deleteWebhookEndpointInput, input);
  authorize(ctx.actor, "webhooks.manage");
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [gone] = await tx.delete(webhookEndpoints).where(and(eq(webhookEndpoints.id, data.endpointId), eq(webhookEndpoints.merchantId, ctx.merchantId))).returning({ id: webhookEndpoints.id, url: webhookEndpoints.url });
    if (!gone) throw notFound("webhook endpoint", data.endpointId, "endpointId");
    await recordAudit(tx, ctx, { action: "webhook_endpoint.deleted", targetType: "webhook_endpoint", targetId: gone.id, data: { url: gone.url }, at: now });
    return { id: gone.id };
  });
}

export const resendEventInput = z.object({ endpointId: z.string().min(1), eventId: z.string().min(1) });

/**
 * Sends an event to an endpoint again, whether or not it was delivered before, as a new delivery with the same event
 * id (receivers deduplicate by it). The endpoint must be enabled; it need not listen to the event's type.
 */
export async function resendEvent(ctx: ServiceContext, input: z.input<typeof resendEventInput>): Promise<{ deliveryId: string }> {
  const data = parseInput(resendEventInput, input);
  authorize(ctx.actor, "webhooks.manage");
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [endpoint] = await tx.select({ id: webhookEndpoints.id, status: webhookEndpoints.status }).from(webhookEndpoints).where(and(eq(webhookEndpoints.id, data.endpointId), eq(webhookEndpoints.merchantId, ctx.merchantId)));
    if (!endpoint) throw notFound("webhook endpoint", data.endpointId, "endpointId");
    if (endpoint.status !== "enabled") throw invalid("The endpoint is disabled: enable it first", "endpointId", "endpoint_disabled");
    const [event] = await tx.select({ id: webhookEvents.id }).from(webhookEvents).where(and(eq(webhookEvents.id, data.eventId), eq(webhookEvents.merchantId, ctx.merchantId)));
    if (!event) throw notFound("event", data.eventId, "eventId");
    const deliveryId = newId("whd");
    await bulkInsert(tx, webhookDeliveries, [{ id: deliveryId, merchantId: ctx.merchantId, endpointId: endpoint.id, eventId: event.id, resend: true, nextAttemptAt: null }]);
    await recordAudit(tx, ctx, { action: "webhook_event.resent", targetType: "webhook_endpoint", targetId: endpoint.id, data: { event: event.id, delivery: deliveryId }, at: now });
    return { deliveryId };
  });
}
