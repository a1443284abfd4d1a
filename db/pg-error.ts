/**
 * Whether a PostgreSQL error with this SQLSTATE (and, if given, on this constraint) is behind `error`, however deep
 * drizzle and the driver wrapped it: 23505 unique violation, 23503 foreign key violation.
 */
export function isPgError(error: unknown, code: string, constraint?: string): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code: found, constraint: name, constraint_name: altName } = e as { code?: unknown; constraint?: unknown; constraint_name?: unknown };
    if (found === code && (constraint === undefined || name === constraint || altName === constraint)) return true;
  }
  return false;
}
