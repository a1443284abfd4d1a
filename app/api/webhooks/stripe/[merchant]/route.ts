import { configuredPlatform } from "@/lib/platform";
import { getDatabase } from "@/lib/runtime";
import { handleGatewayWebhook } from "@/lib/webhooks/gateway-webhook-route";

export const dynamic = "force-dynamic";

/** Stripe's webhooks for one merchant's account (the URL the merchant registers at Stripe): see handleGatewayWebhook. */
export async function POST(request: Request, { params }: { params: Promise<{ merchant: string }> }): Promise<Response> {
  return handleGatewayWebhook(request, configuredPlatform(await getDatabase()), "stripe", (await params).merchant);
}
