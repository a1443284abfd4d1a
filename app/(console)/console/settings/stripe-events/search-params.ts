import { createLoader, createSerializer, parseAsString, parseAsStringLiteral } from "nuqs/server";
import { GATEWAY_EVENT_STATUSES, type GatewayEventFilters } from "@/lib/services/queries/gateway-event-search";

/**
 * /console/settings/stripe-events' URL state, one parser object for the server loader, the client filters and the
 * paging links. Newest first, paged by the last id shown (`after`); a status the parser cannot read is dropped.
 */
export const gatewayEventSearchParams = {
  q: parseAsString.withDefault(""),
  status: parseAsStringLiteral(GATEWAY_EVENT_STATUSES),
  type: parseAsString.withDefault(""),
  after: parseAsString,
};

export const loadGatewayEventSearch = createLoader(gatewayEventSearchParams);
export const gatewayEventSearchHref = createSerializer(gatewayEventSearchParams, { clearOnDefault: true });

export const STRIPE_EVENTS_PATH = "/console/settings/stripe-events";

const TYPE = /^[a-z0-9_.]{1,100}$/;
const EVENT_ID = /^gev_[0-9a-f]{1,96}$/;

/** The URL's state as the query takes it: what could not be an event type or id is dropped rather than refused. */
export function toGatewayEventFilters(state: Awaited<ReturnType<typeof loadGatewayEventSearch>>): GatewayEventFilters {
  return {
    q: state.q.slice(0, 200) || null,
    status: state.status,
    type: TYPE.test(state.type) ? state.type : null,
    after: state.after && EVENT_ID.test(state.after) ? state.after : null,
  };
}
