import { and, asc, desc, eq, inArray, isNull, lt } from "drizzle-orm";
import { atobaraiAccounts, atobaraiOrders, atobaraiPaymentImports, atobaraiStatementLines, atobaraiStatements, invoices, merchants, subscriptions } from "@/db/schema";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { type FallbackBuyer, fallbackBuyerOf } from "../send-atobarai-fallback";

export type AtobaraiStatementRow = typeof atobaraiStatements.$inferSelect;

const PAGE = 50;

/**
 * The merchant's settlement statements, the latest period first, by pages of 50 (`before`: a period end): the live
 * ones, or one test clock's (`testClockId`).
 */
export async function listAtobaraiStatements(ctx: ServiceContext, input: { before?: string | null; testClockId?: string | null } = {}): Promise<{ rows: AtobaraiStatementRow[]; hasMore: boolean }> {
  const rows = await ctx.db
    .select()
    .from(atobaraiStatements)
    .where(
      and(
        eq(atobaraiStatements.merchantId, ctx.merchantId),
        input.testClockId ? eq(atobaraiStatements.testClockId, input.testClockId) : isNull(atobaraiStatements.testClockId),
        input.before ? lt(atobaraiStatements.periodEnd, input.before) : undefined,
      ),
    )
    .orderBy(desc(atobaraiStatements.periodEnd))
    .limit(PAGE + 1);
  return { rows: rows.slice(0, PAGE), hasMore: rows.length > PAGE };
}

export type AtobaraiStatementView = {
  statement: AtobaraiStatementRow;
  merchant: { name: string; timeZone: string };
  lines: { id: string; kind: "sale" | "fee" | "reversal"; amount: number; orderId: string; orderRef: string; buyerName: string; shippedAt: Date | null; status: string }[];
};

/** One statement with its lines (sales with their fees, then reversals), each with its order. */
export async function getAtobaraiStatement(ctx: ServiceContext, statementId: string): Promise<AtobaraiStatementView> {
  const [statement] = await ctx.db.select().from(atobaraiStatements).where(and(eq(atobaraiStatements.merchantId, ctx.merchantId), eq(atobaraiStatements.id, statementId)));
  if (!statement) throw notFound("statement", statementId);
  const [merchant] = await ctx.db.select({ name: merchants.name, timeZone: merchants.timeZone }).from(merchants).where(eq(merchants.id, ctx.merchantId));
  const rows = await ctx.db
    .select({
      id: atobaraiStatementLines.id,
      kind: atobaraiStatementLines.kind,
      amount: atobaraiStatementLines.amount,
      orderId: atobaraiOrders.id,
      orderRef: atobaraiOrders.orderRef,
      buyerName: atobaraiOrders.buyerName,
      shippedAt: atobaraiOrders.invoiceIssuedAt,
      status: atobaraiOrders.status,
    })
    .from(atobaraiStatementLines)
    .innerJoin(atobaraiOrders, eq(atobaraiOrders.id, atobaraiStatementLines.orderId))
    .where(eq(atobaraiStatementLines.statementId, statement.id))
    .orderBy(asc(atobaraiOrders.invoiceIssuedAt), asc(atobaraiOrders.id));
  const rank = { sale: 0, fee: 1, reversal: 2 } as const;
  // Each order's sale then its fee, in shipping order; the reversals after them.
  const position = new Map<string, number>();
  for (const row of rows) if (!position.has(row.orderId)) position.set(row.orderId, position.size);
  const key = (row: (typeof rows)[number]) => [row.kind === "reversal" ? 1 : 0, position.get(row.orderId)!, rank[row.kind]];
  const lines = [...rows].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka[0]! - kb[0]! || ka[1]! - kb[1]! || ka[2]! - kb[2]!;
  });
  return { statement, merchant: merchant!, lines };
}

/** The latest payment-notice imports (what each recorded, found already recorded, or refused). */
export async function listAtobaraiPaymentImports(ctx: ServiceContext, limit = 20) {
  return ctx.db.select().from(atobaraiPaymentImports).where(eq(atobaraiPaymentImports.merchantId, ctx.merchantId)).orderBy(desc(atobaraiPaymentImports.createdAt), desc(atobaraiPaymentImports.id)).limit(limit);
}

/**
 * Whether staff may send this contract's overdue invoice as a konbini / bank invoice (後払い on, an overdue yen
 * invoice, none sent and unpaid already), and what the customer's record offers to fill the form in.
 */
export async function atobaraiFallbackOffer(ctx: ServiceContext, subscriptionId: string): Promise<{ prefill: FallbackBuyer } | null> {
  const [row] = await ctx.db
    .select({ on: atobaraiAccounts.merchantId, overdue: subscriptions.overdueInvoiceId, currency: invoices.currency, invoiceStatus: invoices.status })
    .from(subscriptions)
    .innerJoin(invoices, eq(invoices.id, subscriptions.overdueInvoiceId))
    .leftJoin(atobaraiAccounts, eq(atobaraiAccounts.merchantId, subscriptions.merchantId))
    .where(and(eq(subscriptions.merchantId, ctx.merchantId), eq(subscriptions.id, subscriptionId)));
  if (!row?.on || !row.overdue || row.invoiceStatus !== "open" || row.currency.toUpperCase() !== "JPY") return null;
  const sent = await ctx.db.$count(atobaraiOrders, and(eq(atobaraiOrders.fallbackForInvoiceId, row.overdue), inArray(atobaraiOrders.status, ["shipped", "collection"])));
  if (sent > 0) return null;
  return { prefill: await fallbackBuyerOf(ctx.db, ctx.merchantId, subscriptionId) };
}
