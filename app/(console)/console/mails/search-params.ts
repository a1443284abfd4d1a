import { createLoader, createSerializer, parseAsInteger, parseAsNumberLiteral, parseAsString, parseAsStringLiteral } from "nuqs/server";
import { MAIL_TEMPLATES } from "@/lib/billing/mail-template";
import { MAIL_STATUSES, type OutboxSearch } from "@/lib/services/queries/outbox-search";
import { PAGE_SIZES } from "@/lib/services/queries/subscription-search-schema";

/**
 * /console/mails' URL state, one parser object for the server loader, the client filters and the pagination links.
 * Defaults stay out of the URL; a value the parsers cannot read (an unknown status) falls back to its default.
 */
export const outboxSearchParams = {
  q: parseAsString.withDefault(""),
  template: parseAsStringLiteral(MAIL_TEMPLATES),
  status: parseAsStringLiteral(MAIL_STATUSES),
  contract: parseAsString.withDefault(""),
  from: parseAsString.withDefault(""),
  to: parseAsString.withDefault(""),
  page: parseAsInteger.withDefault(1),
  perPage: parseAsNumberLiteral(PAGE_SIZES).withDefault(PAGE_SIZES[0]),
};

export const loadOutboxSearch = createLoader(outboxSearchParams);
export const outboxSearchHref = createSerializer(outboxSearchParams, { clearOnDefault: true });

type State = Awaited<ReturnType<typeof loadOutboxSearch>>;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The URL's state as the query takes it: a malformed day is dropped and a page kept within range rather than refused. */
export function toOutboxSearch(state: State): OutboxSearch {
  return {
    q: state.q.slice(0, 200),
    template: state.template,
    status: state.status,
    subscriptionId: state.contract.trim().slice(0, 100) || null,
    from: DAY.test(state.from) && !Number.isNaN(Date.parse(state.from)) ? state.from : null,
    to: DAY.test(state.to) && !Number.isNaN(Date.parse(state.to)) ? state.to : null,
    page: Math.min(Math.max(1, state.page), 1_000_000),
    perPage: state.perPage,
  };
}

/** The search back as the URL writes it (for links that keep the rest of it). */
export function outboxStateOf(search: OutboxSearch): Partial<State> {
  return {
    q: search.q || null,
    template: search.template ?? null,
    status: search.status ?? null,
    contract: search.subscriptionId ?? null,
    from: search.from ?? null,
    to: search.to ?? null,
    page: search.page,
    perPage: search.perPage,
  } as Partial<State>;
}
