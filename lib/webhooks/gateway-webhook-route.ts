import type { Platform } from "@/lib/services/context";
import { ServiceError } from "@/lib/services/errors";
import { receiveGatewayWebhook } from "@/lib/services/receive-gateway-webhook";

/** Stripe retries anything but a 2xx for three days: a body that will never verify gets a 4xx that says why. */
const STATUS: Partial<Record<ServiceError["code"], number>> = { invalid: 400, not_found: 404 };

/**
 * POST /api/webhooks/<gateway>/<merchant id>: the raw body (a signature covers its exact bytes) is verified and
 * stored by receiveGatewayWebhook, and answered at once: 200 whether stored now or before (a repeated delivery),
 * 400 for a bad signature, 404 for an unknown merchant or one without the gateway's account or signing secret.
 */
export async function handleGatewayWebhook(request: Request, platform: Pick<Platform, "db" | "clock" | "gateways">, gateway: string, merchantId: string): Promise<Response> {
  const body = await request.text();
  try {
    const received = await receiveGatewayWebhook(platform, { gateway, merchantId, body, signature: request.headers.get(`${gateway}-signature`) });
    return Response.json({ received: true, duplicate: received.status === "duplicate" });
  } catch (error) {
    if (error instanceof ServiceError && STATUS[error.code]) return Response.json({ error: error.details.reason ?? error.code, message: error.message }, { status: STATUS[error.code] });
    throw error;
  }
}
