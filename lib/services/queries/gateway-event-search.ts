import { z } from "zod";
import type { GatewayEventStatus } from "@/db/schema";

/**
 * The received-events page's search (/console/settings/stripe-events): apart from the query (gateway-events.ts) so
 * that the page's client components can share it without the database.
 */
export const GATEWAY_EVENT_STATUSES = ["failed", "pending", "processed", "ignored"] as const satisfies readonly GatewayEventStatus[];

export const GATEWAY_EVENTS_PAGE_SIZE = 50;

/**
 * The list's filters. q: part of the gateway's event id (evt_…) or of the object's id (pi_…, ch_…), every word; type:
 * a whole event type (payment_intent.succeeded); after: the last id of the page before (keyset).
 */
export const gatewayEventFilters = z.object({
  status: z.enum(GATEWAY_EVENT_STATUSES).nullish(),
  type: z
    .string()
    .trim()
    .max(100)
    .regex(/^[a-z0-9_.]*$/, "not an event type")
    .nullish(),
  q: z.string().max(200).nullish(),
  after: z
    .string()
    .max(100)
    .regex(/^gev_[0-9a-f]+$/, "not an event id")
    .nullish(),
  limit: z.number().int().min(1).max(200).default(GATEWAY_EVENTS_PAGE_SIZE),
});
export type GatewayEventFilters = z.input<typeof gatewayEventFilters>;

/**
 * Whether the event is already waiting to be processed (pending and due, or being processed right now), when
 * reprocessGatewayEvent refuses to queue it again; a pending event waiting for a later retry may be hurried.
 */
export function alreadyWaiting(event: { status: GatewayEventStatus; nextAttemptAt: Date | null; leaseUntil?: Date | null }, now: Date): boolean {
  if (event.status !== "pending") return false;
  return !event.nextAttemptAt || event.nextAttemptAt <= now || (event.leaseUntil != null && event.leaseUntil > now);
}
