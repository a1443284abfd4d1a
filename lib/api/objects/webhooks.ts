import { z } from "zod";
import type { webhookEvents } from "@/db/schema";
import type { WebhookEndpointView } from "@/lib/services/queries/webhooks";
import { EVENT_TYPES } from "@/lib/webhooks/event-types";
import { iso, timestamp } from "../list";

export const webhookEndpointObject = z
  .object({
    id: z.string(),
    object: z.literal("webhook_endpoint"),
    url: z.string(),
    description: z.string(),
    enabled_events: z.array(z.enum(["*", ...EVENT_TYPES])).describe('The event types sent to it; ["*"] = all'),
    status: z.enum(["enabled", "disabled"]),
    disabled_reason: z.enum(["staff", "failing"]).nullable().describe("failing: deliveries failed for three days and Keizoku disabled it"),
    secret: z.string().optional().describe("whsec_…: signs the Keizoku-Signature header. Returned only when the endpoint is created"),
    created: timestamp,
  })
  .meta({ id: "WebhookEndpoint" });

export function toWebhookEndpoint(row: WebhookEndpointView & { secret?: string }): z.infer<typeof webhookEndpointObject> {
  return {
    id: row.id,
    object: "webhook_endpoint",
    url: row.url,
    description: row.description,
    enabled_events: row.enabledEvents as z.infer<typeof webhookEndpointObject>["enabled_events"],
    status: row.status,
    disabled_reason: row.disabledReason as "staff" | "failing" | null,
    ...(row.secret ? { secret: row.secret } : {}),
    created: iso(row.createdAt)!,
  };
}

export const eventObject = z
  .object({
    id: z.string(),
    object: z.literal("event"),
    type: z.enum(EVENT_TYPES),
    created: timestamp,
    data: z.object({ object: z.record(z.string(), z.unknown()).describe("The object as the API showed it when the event happened") }),
    test_clock: z.string().nullable().describe("Set when the object lives on a test clock"),
  })
  .meta({ id: "Event" });

export function toEvent(row: typeof webhookEvents.$inferSelect): z.infer<typeof eventObject> {
  return { id: row.id, object: "event", type: row.type as z.infer<typeof eventObject>["type"], created: iso(row.createdAt)!, data: { object: row.object }, test_clock: row.testClockId };
}
