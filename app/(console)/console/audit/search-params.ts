import { createLoader, createParser, createSerializer, type inferParserType, parseAsInteger, parseAsString } from "nuqs/server";

/**
 * /console/audit's URL: the filters and the page, read by the server page and by the filter form alike. The parsers
 * only shape the strings; the service's zod schema (auditLogFilters) decides what is valid.
 */
const localDate = createParser({ parse: (value) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null), serialize: (value: string) => value });

export const auditParsers = {
  actor: parseAsString,
  action: parseAsString,
  target: parseAsString,
  from: localDate,
  to: localDate,
  page: parseAsInteger.withDefault(1),
};

export type AuditSearchState = inferParserType<typeof auditParsers>;
export const loadAuditSearch = createLoader(auditParsers);
export const serializeAuditSearch = createSerializer(auditParsers, { clearOnDefault: true });

/** The URL's filters as the service reads them (absent ones left out). */
export function toAuditFilters(state: AuditSearchState) {
  return {
    actor: state.actor || undefined,
    action: state.action || undefined,
    target: state.target?.trim() || undefined,
    from: state.from || undefined,
    to: state.to || undefined,
  };
}
