import { isPgError } from "@/db/pg-error";
import { gatewayEvents } from "@/db/schema";
import { WebhookSecretMissing } from "@/lib/gateways/payment-gateway";
import { newId } from "@/lib/ids";
import type { Platform } from "./context";
import { notFound, ServiceError } from "./errors";

/** Stripe's event as far as intake reads it: the rest is stored as it came. */
type GatewayEvent = { id: string; type: string; created: number; livemode: boolean; data?: { object?: { id?: unknown } } };

export type ReceivedWebhook = { status: "stored" | "duplicate"; eventId: string };

const MERCHANT_ID = /^mer_[0-9a-f]{8,64}$/;

/**
 * A gateway's webhook, as its route received it: verified with the merchant's signing secret (Stripe's 300 s
 * window), then stored once by the gateway's event id and answered. Nothing is processed here — the runner or
 * Inngest processes stored events (processGatewayEvents) — so the gateway gets its 2xx at once, and a repeated
 * delivery (the gateway retries until it has one) finds the event already stored and changes nothing. A body that
 * does not verify is refused (`invalid`, reason `bad_signature`) and nothing is stored.
 */
export async function receiveGatewayWebhook(
  platform: Pick<Platform, "db" | "clock" | "gateways">,
  input: { gateway: string; merchantId: string; body: string; signature: string | null },
): Promise<ReceivedWebhook> {
  if (!MERCHANT_ID.test(input.merchantId)) throw notFound("merchant", input.merchantId);
  const gateway = (await platform.gateways.forMerchant(input.merchantId)).byName(input.gateway);
  if (!gateway?.webhooks) throw new ServiceError("not_found", `This merchant takes no ${input.gateway} webhooks: no ${input.gateway} account is set`, { reason: "gateway_not_configured" });
  let event: GatewayEvent;
  try {
    event = gateway.webhooks.parse(input.body, input.signature) as GatewayEvent;
  } catch (error) {
    if (error instanceof WebhookSecretMissing) throw new ServiceError("not_found", error.message, { reason: "webhook_secret_missing" });
    throw new ServiceError("invalid", `The webhook's signature does not verify: ${(error as Error).message}`, { reason: "bad_signature" });
  }
  if (typeof event.id !== "string" || typeof event.type !== "string" || typeof event.created !== "number") {
    throw new ServiceError("invalid", "The webhook is not an event (id, type and created are required)", { reason: "not_an_event" });
  }
  const objectId = event.data?.object?.id;
  try {
    const stored = await platform.db
      .insert(gatewayEvents)
      .values({
        id: newId("gev"),
        merchantId: input.merchantId,
        gateway: input.gateway,
        eventId: event.id,
        type: event.type,
        objectId: typeof objectId === "string" ? objectId : null,
        livemode: event.livemode ? "live" : "test",
        payload: event as unknown as Record<string, unknown>,
        occurredAt: new Date(event.created * 1000),
        receivedAt: platform.clock.now(),
      })
      .onConflictDoNothing()
      .returning({ id: gatewayEvents.id });
    return { status: stored.length > 0 ? "stored" : "duplicate", eventId: event.id };
  } catch (error) {
    // The environment's Stripe account verifies events for any id in the path: one that names no merchant has no row to own it.
    if (isPgError(error, "23503")) throw notFound("merchant", input.merchantId);
    throw error;
  }
}
