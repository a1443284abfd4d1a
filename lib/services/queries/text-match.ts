import { and, ilike, or, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/** Words of a search box taken into account; more only slow the query down. */
const MAX_TERMS = 8;

/**
 * Free text as typed into a search box, as words: NFKC first, so full-width letters, digits and spaces (ｓａｔｏ,
 * "佐藤　花子") count as their half-width selves and half-width katakana as full-width, then split on white space.
 * "佐藤 花子" is two words, so it also finds "佐藤花子" and "花子 佐藤".
 */
export function searchTerms(text: string | null | undefined): string[] {
  if (!text) return [];
  return text.normalize("NFKC").trim().split(/\s+/).filter(Boolean).slice(0, MAX_TERMS);
}

/** An ILIKE pattern for "contains `term`", its own % _ and \ taken literally. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Every word appears (any case) in at least one of the columns; undefined when there are no words. */
export function matchesEveryTerm(terms: readonly string[], columns: readonly PgColumn[]): SQL | undefined {
  if (terms.length === 0) return undefined;
  return and(...terms.map((term) => or(...columns.map((column) => ilike(column, containsPattern(term))))));
}
