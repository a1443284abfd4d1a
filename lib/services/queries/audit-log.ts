import { and, desc, eq, gte, inArray, lt, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { auditEvents, invoices } from "@/db/schema";
import { addLocalDays, parseLocalDate, startOfLocalDay } from "@/lib/billing/calendar";
import { authorize } from "../authorize";
import type { ServiceContext } from "../context";
import { parseInput } from "../errors";
import { merchantTimeZone } from "../merchant-settings";
import { type AuditTrailEntry, auditRows, toEntry } from "./audit-events";

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "not a date (YYYY-MM-DD)").refine((v) => {
  try {
    parseLocalDate(v);
    return true;
  } catch {
    return false;
  }
}, "not a calendar date");

export const AUDIT_PAGE_SIZE = 50;

/**
 * The audit log's filters. actor: "staff:<id>", "api_key:<id>", or a kind of actor alone ("system", "customer",
 * "operator", "api_key", "staff"); target: an id (a contract's also finds what was done to its invoices); dates are
 * days in the merchant's time zone, both ends included.
 */
export const auditLogFilters = z.object({
  actor: z
    .string()
    .trim()
    .regex(/^(staff|api_key|system|customer|operator)(:[A-Za-z0-9_-]{1,100})?$/, "not an actor")
    .optional(),
  action: z
    .string()
    .trim()
    .regex(/^[a-z_]+(\.[a-z_]+)*$/, "not an action")
    .max(100)
    .optional(),
  target: z.string().trim().min(1).max(100).optional(),
  from: localDate.optional(),
  to: localDate.optional(),
});
export type AuditLogFilters = z.input<typeof auditLogFilters>;

/** The conditions of a search, shared by the page and the CSV export so that both list the same rows. */
async function conditions(ctx: Pick<ServiceContext, "db" | "merchantId">, filters: z.infer<typeof auditLogFilters>): Promise<SQL | undefined> {
  const where: (SQL | undefined)[] = [eq(auditEvents.merchantId, ctx.merchantId)];
  if (filters.actor) {
    const [type, id] = filters.actor.split(":") as [(typeof auditEvents.$inferSelect)["actorType"], string | undefined];
    where.push(eq(auditEvents.actorType, type));
    if (id) where.push(eq(auditEvents.actorId, id));
  }
  if (filters.action) where.push(eq(auditEvents.action, filters.action));
  if (filters.target) {
    const invoiceIds = ctx.db
      .select({ id: invoices.id })
      .from(invoices)
      .where(and(eq(invoices.merchantId, ctx.merchantId), eq(invoices.subscriptionId, filters.target)));
    where.push(or(eq(auditEvents.targetId, filters.target), and(eq(auditEvents.targetType, "invoice"), inArray(auditEvents.targetId, invoiceIds))));
  }
  if (filters.from || filters.to) {
    const timeZone = await merchantTimeZone(ctx.db, ctx.merchantId);
    if (filters.from) where.push(gte(auditEvents.occurredAt, startOfLocalDay(parseLocalDate(filters.from), timeZone)));
    if (filters.to) where.push(lt(auditEvents.occurredAt, addLocalDays(startOfLocalDay(parseLocalDate(filters.to), timeZone), 1, timeZone)));
  }
  return and(...where);
}

/**
 * One page of the merchant's audit log, newest first, each actor named. Owners and admins only (who did what is
 * itself sensitive). Counts nothing: `hasMore` says whether a next page exists, which stays cheap however long the log.
 */
export async function searchAuditLog(ctx: ServiceContext, input: AuditLogFilters & { page?: number }): Promise<{ rows: AuditTrailEntry[]; hasMore: boolean; page: number }> {
  const { page = 1, ...rest } = input;
  const filters = parseInput(auditLogFilters, rest);
  authorize(ctx.actor, "audit.read");
  const pageNumber = Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1;
  const rows = await auditRows(ctx)
    .where(await conditions(ctx, filters))
    .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
    .limit(AUDIT_PAGE_SIZE + 1)
    .offset((pageNumber - 1) * AUDIT_PAGE_SIZE);
  return { rows: rows.slice(0, AUDIT_PAGE_SIZE).map(toEntry), hasMore: rows.length > AUDIT_PAGE_SIZE, page: pageNumber };
}

/** Every matching row, newest first, in keyset batches (memory stays flat for the CSV export). */
export async function* auditLogBatches(ctx: ServiceContext, input: AuditLogFilters, batchSize = 1000): AsyncGenerator<AuditTrailEntry[]> {
  const filters = parseInput(auditLogFilters, input);
  authorize(ctx.actor, "audit.read");
  const where = await conditions(ctx, filters);
  let after: { occurredAt: Date; id: string } | null = null;
  for (;;) {
    const cursor: SQL | undefined = after
      ? or(lt(auditEvents.occurredAt, after.occurredAt), and(eq(auditEvents.occurredAt, after.occurredAt), lt(auditEvents.id, after.id)))
      : undefined;
    const rows = await auditRows(ctx)
      .where(and(where, cursor))
      .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
      .limit(batchSize);
    if (rows.length === 0) return;
    const entries: AuditTrailEntry[] = rows.map(toEntry);
    yield entries;
    if (rows.length < batchSize) return;
    const last: AuditTrailEntry = entries.at(-1)!;
    after = { occurredAt: last.occurredAt, id: last.id };
  }
}
