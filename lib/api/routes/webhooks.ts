import { z } from "zod";
import { getEvent, getWebhookEndpoint, listEvents, listWebhookEndpoints } from "@/lib/services/queries/webhooks";
import { createWebhookEndpoint, createWebhookEndpointInput, deleteWebhookEndpoint, resendEvent, updateWebhookEndpoint } from "@/lib/services/webhook-endpoints";
import { EVENT_TYPES } from "@/lib/webhooks/event-types";
import { listOf, listQuery, toList } from "../list";
import { eventObject, toEvent, toWebhookEndpoint, webhookEndpointObject } from "../objects/webhooks";
import { route } from "../router";

const enabledEvents = z.array(z.enum(["*", ...EVENT_TYPES])).describe('Event types to send, or ["*"] for all');
const url = z.string().describe("https URL (http://localhost outside production). Private, loopback and link-local addresses are refused");

export const webhookRoutes = [
  route({
    method: "POST",
    path: "/webhook_endpoints",
    tag: "Webhooks",
    summary: "Create a webhook endpoint; the answer carries its signing secret, shown only this once",
    body: z.strictObject({ url, enabled_events: enabledEvents, description: createWebhookEndpointInput.shape.description.optional() }),
    response: webhookEndpointObject,
    handler: async ({ ctx, body }) => toWebhookEndpoint(await createWebhookEndpoint(ctx, { url: body.url, enabledEvents: body.enabled_events, description: body.description })),
  }),
  route({
    method: "GET",
    path: "/webhook_endpoints",
    tag: "Webhooks",
    summary: "List webhook endpoints, newest first",
    query: listQuery,
    response: listOf(webhookEndpointObject),
    handler: async ({ ctx, query }) => toList(await listWebhookEndpoints(ctx, { limit: query.limit, startingAfter: query.starting_after }), toWebhookEndpoint),
  }),
  route({
    method: "GET",
    path: "/webhook_endpoints/{id}",
    tag: "Webhooks",
    summary: "Retrieve a webhook endpoint",
    response: webhookEndpointObject,
    handler: async ({ ctx, params }) => toWebhookEndpoint(await getWebhookEndpoint(ctx, params.id!)),
  }),
  route({
    method: "POST",
    path: "/webhook_endpoints/{id}",
    tag: "Webhooks",
    summary: "Update a webhook endpoint: URL, description, event types, or disable / enable it",
    body: z.strictObject({ url: url.optional(), enabled_events: enabledEvents.optional(), description: z.string().optional(), disabled: z.boolean().optional() }),
    response: webhookEndpointObject,
    handler: async ({ ctx, params, body }) =>
      toWebhookEndpoint(
        await updateWebhookEndpoint(ctx, { endpointId: params.id!, url: body.url, enabledEvents: body.enabled_events, description: body.description, enabled: body.disabled === undefined ? undefined : !body.disabled }),
      ),
  }),
  route({
    method: "DELETE",
    path: "/webhook_endpoints/{id}",
    tag: "Webhooks",
    summary: "Delete a webhook endpoint and its delivery log (its events stay)",
    response: z.object({ id: z.string(), object: z.literal("webhook_endpoint"), deleted: z.literal(true) }),
    handler: async ({ ctx, params }) => ({ id: (await deleteWebhookEndpoint(ctx, { endpointId: params.id! })).id, object: "webhook_endpoint" as const, deleted: true as const }),
  }),
  route({
    method: "POST",
    path: "/webhook_endpoints/{id}/resend",
    tag: "Webhooks",
    summary: "Send an event to the endpoint again (delivered before or not), with the same event id",
    body: z.strictObject({ event: z.string().describe("The event's id (evt_…)") }),
    response: z.object({ delivery: z.string(), event: z.string() }),
    handler: async ({ ctx, params, body }) => ({ delivery: (await resendEvent(ctx, { endpointId: params.id!, eventId: body.event })).deliveryId, event: body.event }),
  }),
  route({
    method: "GET",
    path: "/events",
    tag: "Webhooks",
    summary: "List events, newest first",
    query: listQuery.extend({ type: z.enum(EVENT_TYPES).optional() }),
    response: listOf(eventObject),
    handler: async ({ ctx, query }) => toList(await listEvents(ctx, { limit: query.limit, startingAfter: query.starting_after, type: query.type }), toEvent),
  }),
  route({
    method: "GET",
    path: "/events/{id}",
    tag: "Webhooks",
    summary: "Retrieve an event",
    response: eventObject,
    handler: async ({ ctx, params }) => toEvent(await getEvent(ctx, params.id!)),
  }),
];
