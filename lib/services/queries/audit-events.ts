import { and, desc, eq, inArray, or } from "drizzle-orm";
import { apiKeys, auditEvents, customers, invoices, staffUsers } from "@/db/schema";
import type { StaffRole } from "@/lib/auth/roles";
import type { ServiceContext } from "../context";

type ReadContext = Pick<ServiceContext, "db" | "merchantId">;

/** Who did it, resolved to what a person recognises: a staff member's name and role, an API key's name, a customer. */
export type AuditActor =
  | { type: "staff"; id: string | null; name: string | null; role: StaffRole | null }
  | { type: "api_key"; id: string | null; name: string | null; prefix: string | null }
  | { type: "customer"; id: string | null; name: string | null }
  | { type: "system" | "operator"; id: string | null };

export type AuditTrailEntry = { id: string; action: string; targetType: string; targetId: string; data: Record<string, unknown>; occurredAt: Date; actor: AuditActor };

/**
 * What was done to a contract and to its invoices (extra charges, payments, refunds), newest first, with each actor
 * named. `limit` keeps a long-lived contract's page short; `hasMore` says there is more.
 */
export async function subscriptionAuditTrail(ctx: ReadContext, subscriptionId: string, limit = 100): Promise<{ rows: AuditTrailEntry[]; hasMore: boolean }> {
  const invoiceIds = ctx.db
    .select({ id: invoices.id })
    .from(invoices)
    .where(and(eq(invoices.merchantId, ctx.merchantId), eq(invoices.subscriptionId, subscriptionId)));
  const rows = await auditRows(ctx)
    .where(
      and(
        eq(auditEvents.merchantId, ctx.merchantId),
        or(
          and(eq(auditEvents.targetType, "subscription"), eq(auditEvents.targetId, subscriptionId)),
          and(eq(auditEvents.targetType, "invoice"), inArray(auditEvents.targetId, invoiceIds)),
        ),
      ),
    )
    // Ids are time-ordered (uuid v7): ties in time keep the order they were written in.
    .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
    .limit(limit + 1);
  const entries = rows.slice(0, limit).map(toEntry);
  return { rows: entries, hasMore: rows.length > limit };
}

/** Audit rows with their actor's name joined in, each join kept to the merchant's own rows. */
export function auditRows(ctx: ReadContext) {
  return ctx.db
    .select({
      event: auditEvents,
      staffName: staffUsers.name,
      staffRole: staffUsers.role,
      keyName: apiKeys.name,
      keyPrefix: apiKeys.displayPrefix,
      customerName: customers.name,
    })
    .from(auditEvents)
    .leftJoin(staffUsers, and(eq(auditEvents.actorType, "staff"), eq(staffUsers.id, auditEvents.actorId), eq(staffUsers.merchantId, ctx.merchantId)))
    .leftJoin(apiKeys, and(eq(auditEvents.actorType, "api_key"), eq(apiKeys.id, auditEvents.actorId), eq(apiKeys.merchantId, ctx.merchantId)))
    .leftJoin(customers, and(eq(auditEvents.actorType, "customer"), eq(customers.id, auditEvents.actorId), eq(customers.merchantId, ctx.merchantId)))
    .$dynamic();
}

type AuditRow = Awaited<ReturnType<ReturnType<typeof auditRows>["execute"]>>[number];

export function toEntry({ event, staffName, staffRole, keyName, keyPrefix, customerName }: AuditRow): AuditTrailEntry {
  const base = { id: event.id, action: event.action, targetType: event.targetType, targetId: event.targetId, data: event.data, occurredAt: event.occurredAt };
  switch (event.actorType) {
    case "staff":
      return { ...base, actor: { type: "staff", id: event.actorId, name: staffName, role: staffRole } };
    case "api_key":
      return { ...base, actor: { type: "api_key", id: event.actorId, name: keyName, prefix: keyPrefix } };
    case "customer":
      return { ...base, actor: { type: "customer", id: event.actorId, name: customerName } };
    default:
      return { ...base, actor: { type: event.actorType, id: event.actorId } };
  }
}
