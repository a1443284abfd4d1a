import { Resend } from "resend";
import type { Platform } from "@/lib/services/context";
import { ServiceError } from "@/lib/services/errors";
import { recordMailWebhook } from "@/lib/services/record-mail-webhook";

/**
 * POST /api/webhooks/resend: checks the svix signature (svix-id, svix-timestamp, svix-signature) with the SDK's
 * verify, which also refuses a timestamp more than five minutes off; a bad or stale signature is a 400 and nothing
 * is written. A verified event is recorded once (recordMailWebhook); events about unknown mails answer 200, so that
 * Resend does not retry them. Without a secret every request is refused (503: Resend retries once it is set).
 */
export async function handleResendWebhook(request: Request, platform: Pick<Platform, "db" | "clock">, secret: string | undefined): Promise<Response> {
  if (!secret) return Response.json({ error: "webhook_not_configured" }, { status: 503 });
  const body = await request.text();
  const headers = { id: request.headers.get("svix-id") ?? "", timestamp: request.headers.get("svix-timestamp") ?? "", signature: request.headers.get("svix-signature") ?? "" };
  let payload: { type?: unknown; created_at?: unknown; data?: unknown };
  try {
    // Verification needs no API key; the SDK's constructor insists on one.
    payload = new Resend("re_webhook_verification_only").webhooks.verify({ payload: body, headers, webhookSecret: secret }) as typeof payload;
  } catch {
    return Response.json({ error: "invalid_signature" }, { status: 400 });
  }
  if (typeof payload?.type !== "string" || typeof payload.data !== "object" || payload.data === null) return Response.json({ error: "invalid_payload" }, { status: 400 });
  try {
    const outcome = await recordMailWebhook(platform, {
      eventId: headers.id,
      type: payload.type,
      createdAt: typeof payload.created_at === "string" ? payload.created_at : undefined,
      data: payload.data as Record<string, unknown>,
    });
    return Response.json({ ok: true, outcome });
  } catch (error) {
    if (error instanceof ServiceError) return Response.json({ error: error.code, message: error.message }, { status: 400 });
    throw error;
  }
}
