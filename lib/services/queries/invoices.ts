import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { disputes, invoiceLines, invoices, type InvoiceStatus, paymentAttempts, refunds } from "@/db/schema";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { type PageRequest, pageConditions, toPage } from "./page";

type ReadContext = Pick<ServiceContext, "db" | "merchantId">;
type InvoiceRow = typeof invoices.$inferSelect;

export type InvoiceView = InvoiceRow & { lines: (typeof invoiceLines.$inferSelect)[]; attempts: (typeof paymentAttempts.$inferSelect)[] };

/** Lines (in order) and attempts (by number) of a page of invoices, in two queries. */
export async function withLinesAndAttempts(ctx: ReadContext, rows: InvoiceRow[]): Promise<InvoiceView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const lines = await ctx.db
    .select()
    .from(invoiceLines)
    .where(and(eq(invoiceLines.merchantId, ctx.merchantId), inArray(invoiceLines.invoiceId, ids)))
    .orderBy(asc(invoiceLines.invoiceId), asc(invoiceLines.position));
  const attempts = await ctx.db
    .select()
    .from(paymentAttempts)
    .where(and(eq(paymentAttempts.merchantId, ctx.merchantId), inArray(paymentAttempts.invoiceId, ids)))
    .orderBy(asc(paymentAttempts.invoiceId), asc(paymentAttempts.attemptNumber));
  return rows.map((row) => ({ ...row, lines: lines.filter((l) => l.invoiceId === row.id), attempts: attempts.filter((a) => a.invoiceId === row.id) }));
}

export async function getInvoice(ctx: ReadContext, id: string): Promise<InvoiceView> {
  const [row] = await ctx.db.select().from(invoices).where(and(eq(invoices.id, id), eq(invoices.merchantId, ctx.merchantId)));
  if (!row) throw notFound("invoice", id, "id");
  const [view] = await withLinesAndAttempts(ctx, [row]);
  return view!;
}

export async function listInvoices(
  ctx: ReadContext,
  request: PageRequest & { subscriptionId?: string | null; customerId?: string | null; status?: InvoiceStatus | null },
) {
  const page = pageConditions(invoices.id, request);
  const rows = await ctx.db
    .select()
    .from(invoices)
    .where(
      and(
        eq(invoices.merchantId, ctx.merchantId),
        request.subscriptionId ? eq(invoices.subscriptionId, request.subscriptionId) : undefined,
        request.customerId ? eq(invoices.customerId, request.customerId) : undefined,
        request.status ? eq(invoices.status, request.status) : undefined,
        page.cursor,
      ),
    )
    .orderBy(page.order)
    .limit(page.take);
  const result = toPage(rows, request);
  return { rows: await withLinesAndAttempts(ctx, result.rows), hasMore: result.hasMore };
}

/** Refunds of some of the merchant's invoices, oldest first (pending and failed ones included). */
export async function listRefunds(ctx: ReadContext, invoiceIds: readonly string[]): Promise<(typeof refunds.$inferSelect)[]> {
  if (invoiceIds.length === 0) return [];
  return ctx.db
    .select()
    .from(refunds)
    .where(and(eq(refunds.merchantId, ctx.merchantId), inArray(refunds.invoiceId, [...invoiceIds])))
    .orderBy(asc(refunds.createdAt), asc(refunds.id));
}

export type InvoiceDispute = Pick<typeof disputes.$inferSelect, "id" | "invoiceId" | "status" | "reason" | "amount" | "currency" | "openedAt" | "updatedAt">;

/** The latest chargeback of each of these invoices that has one (an invoice is rarely disputed twice), by invoice id. */
export async function latestDisputes(ctx: ReadContext, invoiceIds: readonly string[]): Promise<Map<string, InvoiceDispute>> {
  if (invoiceIds.length === 0) return new Map();
  const rows = await ctx.db
    .select({ id: disputes.id, invoiceId: disputes.invoiceId, status: disputes.status, reason: disputes.reason, amount: disputes.amount, currency: disputes.currency, openedAt: disputes.openedAt, updatedAt: disputes.updatedAt })
    .from(disputes)
    .where(and(eq(disputes.merchantId, ctx.merchantId), inArray(disputes.invoiceId, [...invoiceIds])))
    .orderBy(desc(disputes.openedAt), desc(disputes.id));
  const latest = new Map<string, InvoiceDispute>();
  for (const row of rows) if (!latest.has(row.invoiceId)) latest.set(row.invoiceId, row);
  return latest;
}
