"use server";

import { type ActionResult, staffAction } from "@/lib/console/action";
import { createWebhookEndpoint, deleteWebhookEndpoint, resendEvent, updateWebhookEndpoint } from "@/lib/services/webhook-endpoints";

/* The Webhook page's server actions: each goes through staffAction to one service, which checks the role itself. */

const PAGE = "/console/settings/webhooks";

/** Answers the new endpoint's signing secret: the only time it leaves the server. */
export async function createWebhookEndpointAction(input: { url: string; description: string; enabledEvents: string[] }): Promise<ActionResult<{ id: string; secret: string }>> {
  return staffAction(
    async (ctx) => {
      const endpoint = await createWebhookEndpoint(ctx, { url: input.url, description: input.description, enabledEvents: input.enabledEvents as ["*"] });
      return { id: endpoint.id, secret: endpoint.secret };
    },
    { revalidate: [PAGE] },
  );
}

export async function updateWebhookEndpointAction(input: { endpointId: string; description?: string; enabledEvents?: string[]; enabled?: boolean }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await updateWebhookEndpoint(ctx, { endpointId: input.endpointId, description: input.description, enabledEvents: input.enabledEvents as ["*"] | undefined, enabled: input.enabled });
      return null;
    },
    { revalidate: [PAGE] },
  );
}

export async function deleteWebhookEndpointAction(input: { endpointId: string }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await deleteWebhookEndpoint(ctx, { endpointId: input.endpointId });
      return null;
    },
    { revalidate: [PAGE] },
  );
}

export async function resendEventAction(input: { endpointId: string; eventId: string }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await resendEvent(ctx, input);
      return null;
    },
    { revalidate: [PAGE] },
  );
}
