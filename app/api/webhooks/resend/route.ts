import { env } from "@/lib/env";
import { handleResendWebhook } from "@/lib/mail/resend-webhook";
import { configuredPlatform } from "@/lib/platform";
import { getDatabase } from "@/lib/runtime";

export const dynamic = "force-dynamic";

/** Resend's delivery webhooks (delivered, bounced, complained, delayed): see handleResendWebhook. */
export async function POST(request: Request): Promise<Response> {
  return handleResendWebhook(request, configuredPlatform(await getDatabase()), env().RESEND_WEBHOOK_SECRET);
}
