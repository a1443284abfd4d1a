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

type Verifier = (body: string, signature: string | null) => unknown;

/**
 * Each merchant's verifier, kept for a short while: opening the account's sealed keys is a read and three
 * decryptions, most of intake's cost otherwise. A body that fails a kept verifier is tried once more with a fresh
 * one, so a new signing secret takes effect at once; a removed one stops being accepted within the TTL.
 */
const verifiers = new Map<string, { verify: Verifier; until: number }>();
const VERIFIER_TTL_MS = 30_000;

async function verified(platform: Pick<Platform, "gateways">, input: { gateway: string; merchantId: string; body: string; signature: string | null }): Promise<unknown> {
  const key = `${input.gateway}:${input.merchantId}`;
  const kept = verifiers.get(key);
  // Wall time, not the platform clock: how long a key is kept has nothing to do with the billing calendar.
  if (kept && kept.until > performance.now()) {
    try {
      return kept.verify(input.body, input.signature);
    } catch {
      verifiers.delete(key);
    }
  }
  const gateway = (await platform.gateways.forMerchant(input.merchantId)).byName(input.gateway);
  const webhooks = gateway?.webhooks;
  if (!webhooks) throw new ServiceError("not_found", `This merchant takes no ${input.gateway} webhooks: no ${input.gateway} account is set`, { reason: "gateway_not_configured" });
  const verify: Verifier = (body, signature) => webhooks.parse(body, signature);
  let event: unknown;
  try {
    event = verify(input.body, input.signature);
  } catch (error) {
    if (error instanceof WebhookSecretMissing) throw new ServiceError("not_found", error.message, { reason: "webhook_secret_missing" });
    throw new ServiceError("invalid", `The webhook's signature does not verify: ${(error as Error).message}`, { reason: "bad_signature" });
  }
  verifiers.set(key, { verify, until: performance.now() + VERIFIER_TTL_MS });
  return event;
}

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
  const event = (await verified(platform, input)) as GatewayEvent;
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
