"use server";

import { type ActionResult, staffAction } from "@/lib/console/action";
import { reprocessGatewayEvent } from "@/lib/services/process-gateway-events";
import { STRIPE_EVENTS_PATH } from "./search-params";

/** 「もう一度処理する」: the service checks the role (webhooks.manage) and that the event is not already waiting. */
export async function reprocessGatewayEventAction(input: { id: string }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await reprocessGatewayEvent(ctx, { id: String(input.id) });
      return null;
    },
    { revalidate: [STRIPE_EVENTS_PATH, `${STRIPE_EVENTS_PATH}/${input.id}`] },
  );
}
