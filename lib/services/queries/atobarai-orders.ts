import { and, asc, desc, eq, gt, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import { atobaraiAccounts, atobaraiOrderEvents, atobaraiOrders, atobaraiPayments, atobaraiRefunds, merchants, testClocks } from "@/db/schema";
import type { AtobaraiOrderStatus } from "@/db/schema/atobarai";
import type { AtobaraiInvoiceView } from "@/lib/atobarai/invoice-pdf";
import { localDateOf } from "@/lib/billing/calendar";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { type PageRequest, pageConditions, toPage } from "./page";

type ReadContext = Pick<ServiceContext, "db" | "merchantId">;

export const ATOBARAI_ORDER_STATUSES: readonly AtobaraiOrderStatus[] = ["registered", "in_review", "approved", "rejected", "shipped", "paid", "collection", "canceled", "returned"];

/** The merchant's 後払い account, or null when 後払い is off. */
export async function getAtobaraiAccount(ctx: ReadContext) {
  const [row] = await ctx.db.select().from(atobaraiAccounts).where(eq(atobaraiAccounts.merchantId, ctx.merchantId));
  return row ?? null;
}

/** `refundOwed`: only orders owing money back to the buyer (返金が必要). */
export type AtobaraiOrderFilter = { statuses?: readonly AtobaraiOrderStatus[]; q?: string | null; refundOwed?: boolean };

/** 返金が必要 in SQL, as order-state.ts's refundOwed: paid − refunded − due, where a returned or canceled order is due nothing. */
const refundOwedSql = sql<number>`(${atobaraiOrders.amountPaid} - ${atobaraiOrders.amountRefunded} - case when ${atobaraiOrders.status} in ('returned', 'canceled') then 0 else ${atobaraiOrders.amount} end)`;

/** What a search box finds: the order number, the buyer's name, kana, email or phone, the tracking number. */
function searchCondition(q: string | null | undefined): SQL | undefined {
  const text = q?.normalize("NFKC").trim();
  if (!text) return undefined;
  const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const digits = text.replace(/\D/g, "");
  return or(
    ilike(atobaraiOrders.orderRef, like),
    ilike(atobaraiOrders.buyerName, like),
    ilike(atobaraiOrders.buyerKana, like),
    ilike(atobaraiOrders.buyerEmail, like),
    ilike(atobaraiOrders.trackingNumber, like),
    eq(atobaraiOrders.id, text),
    digits.length >= 4 ? ilike(atobaraiOrders.buyerPhoneKey, `%${digits}%`) : undefined,
  );
}

/** Orders newest first, filtered by status and a search, one page at a time (the console list and the API). */
export async function listAtobaraiOrders(ctx: ReadContext, request: PageRequest & AtobaraiOrderFilter) {
  const page = pageConditions(atobaraiOrders.id, request);
  const rows = await ctx.db
    .select()
    .from(atobaraiOrders)
    .where(and(eq(atobaraiOrders.merchantId, ctx.merchantId), request.statuses?.length ? inArray(atobaraiOrders.status, [...request.statuses]) : undefined, request.refundOwed ? gt(refundOwedSql, 0) : undefined, searchCondition(request.q), page.cursor))
    .orderBy(page.order)
    .limit(page.take);
  return toPage(rows, request);
}

/** What the merchant owes back to buyers (返金が必要): how many orders, and how much in all. */
export async function atobaraiRefundsOwed(ctx: ReadContext): Promise<{ orders: number; total: number }> {
  const [row] = await ctx.db
    .select({ orders: sql<number>`count(*)`.mapWith(Number), total: sql<number>`coalesce(sum(${refundOwedSql}), 0)`.mapWith(Number) })
    .from(atobaraiOrders)
    .where(and(eq(atobaraiOrders.merchantId, ctx.merchantId), gt(refundOwedSql, 0)));
  return row ?? { orders: 0, total: 0 };
}

/** The review queue: orders on hold (保留), oldest first, so the longest waiting is decided first. */
export async function listAtobaraiReviewQueue(ctx: ReadContext, limit = 200) {
  return ctx.db
    .select()
    .from(atobaraiOrders)
    .where(and(eq(atobaraiOrders.merchantId, ctx.merchantId), eq(atobaraiOrders.status, "in_review")))
    .orderBy(asc(atobaraiOrders.createdAt), asc(atobaraiOrders.id))
    .limit(limit);
}

export async function getAtobaraiOrder(ctx: ReadContext, idOrRef: string) {
  const [order] = await ctx.db
    .select()
    .from(atobaraiOrders)
    .where(and(eq(atobaraiOrders.merchantId, ctx.merchantId), or(eq(atobaraiOrders.id, idOrRef), eq(atobaraiOrders.orderRef, idOrRef))))
    .orderBy(asc(atobaraiOrders.id))
    .limit(1);
  if (!order) throw notFound("order", idOrRef, "id");
  return order;
}

/** One order with its timeline (oldest first), the payments recorded on it, the refunds paid back, and the test clock it lives on. */
export async function getAtobaraiOrderDetail(ctx: ReadContext, id: string) {
  const order = await getAtobaraiOrder(ctx, id);
  const [events, payments, refunds, clocks] = await Promise.all([
    ctx.db.select().from(atobaraiOrderEvents).where(eq(atobaraiOrderEvents.orderId, order.id)).orderBy(asc(atobaraiOrderEvents.at), asc(atobaraiOrderEvents.id)),
    ctx.db.select().from(atobaraiPayments).where(eq(atobaraiPayments.orderId, order.id)).orderBy(desc(atobaraiPayments.paidAt)),
    ctx.db.select().from(atobaraiRefunds).where(eq(atobaraiRefunds.orderId, order.id)).orderBy(desc(atobaraiRefunds.refundedAt)),
    order.testClockId ? ctx.db.select({ id: testClocks.id, name: testClocks.name, frozenTime: testClocks.frozenTime }).from(testClocks).where(eq(testClocks.id, order.testClockId)) : [],
  ]);
  return { order, events, payments, refunds, testClock: clocks[0] ?? null };
}

/** What the invoice PDF of a shipped order shows; null before the invoice is issued. */
export async function getAtobaraiInvoiceView(ctx: ReadContext, orderId: string): Promise<AtobaraiInvoiceView | null> {
  const [row] = await ctx.db
    .select({ order: atobaraiOrders, merchantName: merchants.name, timeZone: merchants.timeZone })
    .from(atobaraiOrders)
    .innerJoin(merchants, eq(merchants.id, atobaraiOrders.merchantId))
    .where(and(eq(atobaraiOrders.id, orderId), eq(atobaraiOrders.merchantId, ctx.merchantId)));
  const order = row?.order;
  if (!row || !order?.invoiceIssuedAt || !order.dueOn || !order.paymentNumber || !order.bankReference) return null;
  return {
    merchantName: row.merchantName,
    orderRef: order.orderRef,
    buyer: { name: order.buyerName, postalCode: order.postalCode, address: order.address },
    shipping: order.shipping,
    items: order.items,
    amount: order.amount,
    currency: order.currency,
    issuedAt: order.invoiceIssuedAt,
    issuedOn: localDateOf(order.invoiceIssuedAt, row.timeZone).toString(),
    dueOn: order.dueOn,
    paymentNumber: order.paymentNumber,
    bankReference: order.bankReference,
  };
}
