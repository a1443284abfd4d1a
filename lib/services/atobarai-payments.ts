import { and, eq, inArray, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { atobaraiOrders, atobaraiPaymentImports, atobaraiPayments, merchants, type AtobaraiPaymentChannel } from "@/db/schema";
import { orderBalance, refundOwed } from "@/lib/billing/atobarai/order-state";
import { instantOfLocalDateTime, parseLocalDate, startOfLocalDay } from "@/lib/billing/calendar";
import { decodeCsvUpload, parseCsvUpload } from "@/lib/csv/csv-upload";
import { newId } from "@/lib/ids";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { conflict, invalid, notFound, parseInput, ServiceError } from "./errors";
import { type AtobaraiOrderRow, lockAtobaraiOrder, orderNow, recordOrderEvent, transitionAtobaraiOrder } from "./internal/atobarai-orders";
import { settleFallbackInvoices } from "./internal/atobarai-fallback";
import { recordAudit } from "./internal/audit";

/** Orders a payment can be recorded on: invoiced ones (a payment on a paid or returned order is money owed back). */
const PAYABLE: readonly AtobaraiOrderRow["status"][] = ["shipped", "collection", "paid", "returned"];

export type PaymentToRecord = { noticeId: string; channel: AtobaraiPaymentChannel; amount: number; paidAt: Date; importId: string | null };
export type PaymentOutcome = { outcome: "recorded" | "duplicate"; order: AtobaraiOrderRow; paymentId: string | null };

/**
 * The one place a buyer's payment is recorded (notice import, API, sandbox helper): once per notice id, whatever
 * happens to the order; the order keeps what was paid, moves to paid when nothing is left, and shows an amount
 * beyond the balance as owed back (返金が必要). The order is locked by the caller's transaction.
 */
async function applyPayment(tx: Db, ctx: ServiceContext, order: AtobaraiOrderRow, payment: PaymentToRecord, at: Date): Promise<PaymentOutcome> {
  if (!PAYABLE.includes(order.status)) throw conflict(`A ${order.status} order has no invoice to pay`, "order_not_invoiced");
  const [row] = await tx
    .insert(atobaraiPayments)
    .values({ id: newId("abp"), merchantId: order.merchantId, orderId: order.id, noticeId: payment.noticeId, channel: payment.channel, amount: payment.amount, paidAt: payment.paidAt, importId: payment.importId })
    .onConflictDoNothing({ target: [atobaraiPayments.merchantId, atobaraiPayments.noticeId] })
    .returning({ id: atobaraiPayments.id });
  if (!row) return { outcome: "duplicate", order, paymentId: null };
  const amountPaid = order.amountPaid + payment.amount;
  const balance = orderBalance({ ...order, amountPaid });
  const data = { payment: row.id, noticeId: payment.noticeId, channel: payment.channel, amount: payment.amount, amountPaid, balance, ...(balance < 0 ? { refundOwed: -balance } : {}) };
  let updated: AtobaraiOrderRow;
  if (balance <= 0 && (order.status === "shipped" || order.status === "collection")) {
    updated = await transitionAtobaraiOrder(tx, order, "pay", { set: { amountPaid, paidAt: payment.paidAt }, data, actor: ctx.actor, at });
  } else {
    [updated] = (await tx.update(atobaraiOrders).set({ amountPaid, updatedAt: at }).where(eq(atobaraiOrders.id, order.id)).returning()) as [AtobaraiOrderRow];
    await recordOrderEvent(tx, order, { kind: "payment", data, actor: ctx.actor, at });
  }
  await recordAudit(tx, ctx, { action: "atobarai_order.payment_recorded", targetType: "atobarai_order", targetId: order.id, data, at });
  return { outcome: "recorded", order: updated, paymentId: row.id };
}

export const atobaraiPaymentInput = z.object({
  orderId: z.string().min(1),
  /** The payment notice's id (収納通知番号): a second payment with the same id is the same payment. */
  noticeId: z.string().trim().min(1).max(100),
  amount: z.number().int().min(1).max(100_000_000),
  /** When the buyer paid; now when absent. */
  paidAt: z.coerce.date().nullish(),
  channel: z.enum(["konbini", "bank", "post_office"]).nullish(),
});

/** A payment on one order, from the API (`POST /api/v1/atobarai/orders/{id}/payments`). */
export async function recordAtobaraiPayment(ctx: ServiceContext, input: z.input<typeof atobaraiPaymentInput>): Promise<PaymentOutcome> {
  const data = parseInput(atobaraiPaymentInput, input);
  authorize(ctx.actor, "atobarai.operate");
  const result = await ctx.db.transaction(async (tx) => {
    const order = await lockAtobaraiOrder(tx, ctx.merchantId, data.orderId);
    const now = await orderNow(tx, order, ctx.clock);
    return applyPayment(tx, ctx, order, { noticeId: data.noticeId, channel: data.channel ?? "api", amount: data.amount, paidAt: data.paidAt ?? now, importId: null }, now);
  });
  await settleFallbackInvoices(ctx, [result.order]);
  return result;
}

/**
 * The sandbox's stand-in for a buyer paying at a konbini: pays the balance (or `amount`) of an order on a test clock,
 * or of any order of a merchant without a live payment account. Never on a merchant taking real payments.
 */
export async function recordSandboxAtobaraiPayment(ctx: ServiceContext, input: { orderId: string; amount?: number | null }): Promise<PaymentOutcome> {
  authorize(ctx.actor, "atobarai.operate");
  if (input.amount != null && (!Number.isInteger(input.amount) || input.amount < 1)) throw invalid("The amount must be a whole number of yen, at least 1", "amount");
  const result = await ctx.db.transaction(async (tx) => {
    const order = await lockAtobaraiOrder(tx, ctx.merchantId, input.orderId);
    const now = await orderNow(tx, order, ctx.clock);
    if (!(await sandboxPaymentAllowed(ctx, order))) throw new ServiceError("forbidden", "Test payments are only for test orders", { reason: "not_a_test_order" });
    const amount = input.amount ?? orderBalance(order);
    if (amount < 1) throw conflict("Nothing is left to pay on this order", "nothing_to_pay");
    const paymentCount = await tx.$count(atobaraiPayments, eq(atobaraiPayments.orderId, order.id));
    return applyPayment(tx, ctx, order, { noticeId: `sandbox-${order.id}-${paymentCount + 1}`, channel: "sandbox", amount, paidAt: now, importId: null }, now);
  });
  await settleFallbackInvoices(ctx, [result.order]);
  return result;
}

/** Whether the sandbox's test payment may pay this order: a test-clock order, or any of a merchant without a live payment account. */
export async function sandboxPaymentAllowed(ctx: Pick<ServiceContext, "gateways" | "merchantId">, order: Pick<AtobaraiOrderRow, "testClockId">): Promise<boolean> {
  return order.testClockId !== null || (await ctx.gateways.forMerchant(ctx.merchantId)).primary.name === "sandbox";
}

/** The columns of a payment-notice file (収納データ), by their Japanese or English header. */
const NOTICE_COLUMNS = {
  notice_id: ["通知番号", "収納通知番号", "通知ID", "収納番号"],
  payment_number: ["払込票番号", "お支払い番号", "支払番号"],
  bank_reference: ["振込依頼人番号", "依頼人番号", "お客様番号"],
  order_ref: ["注文番号", "注文ID", "order"],
  amount: ["金額", "入金額", "入金金額"],
  paid_at: ["入金日", "支払日", "収納日", "入金日時"],
  channel: ["入金方法", "支払方法", "収納区分"],
} as const;

const CHANNELS: Record<string, AtobaraiPaymentChannel> = {
  konbini: "konbini",
  コンビニ: "konbini",
  bank: "bank",
  銀行: "bank",
  銀行振込: "bank",
  post_office: "post_office",
  郵便局: "post_office",
  ゆうちょ: "post_office",
};

/** Why a row was refused: `code` for the console to say in the reader's language, `message` in English (the API, logs). */
export type PaymentImportRowError = { row: number; code: RowErrorCode; value?: string; message: string };
export type RowErrorCode = "notice_id_missing" | "amount_invalid" | "paid_at_invalid" | "channel_invalid" | "number_missing" | "no_such_order" | "different_orders" | "order_not_payable";
export type PaymentImportResult = { importId: string; recorded: number; duplicates: number; refused: number; errors: PaymentImportRowError[]; refundsOwed: { orderId: string; amount: number }[] };

type ParsedRow = { row: number; noticeId: string; amount: number; paidAt: Date; channel: AtobaraiPaymentChannel; match: { paymentNumber?: string; bankReference?: string; orderRef?: string } };

/**
 * Imports a file of payment notices (CSV, UTF-8 or Shift_JIS): each row is matched to an order by its payment
 * number, bank reference or order number and recorded once per notice id, so importing the same file again records
 * nothing twice. Rows that cannot be read or matched are refused and listed with their line; the others are recorded.
 */
export async function importAtobaraiPaymentNotices(ctx: ServiceContext, input: { fileName: string; bytes: Uint8Array }): Promise<PaymentImportResult> {
  authorize(ctx.actor, "atobarai.operate");
  if (input.bytes.byteLength === 0) throw invalid("The file is empty", "file", "empty_file");
  if (input.bytes.byteLength > 5_000_000) throw invalid("The file is larger than 5 MB", "file", "file_too_large");
  const { text, encoding } = decodeCsvUpload(input.bytes);
  const csv = parseCsvUpload(text, NOTICE_COLUMNS, [], { ignoreUnknownColumns: true });
  if (!csv.ok) throw invalid(csv.problem === "malformed" ? `The file is not valid CSV (${csv.detail})` : "The file has no rows below its header", "file", csv.problem === "malformed" ? "malformed_csv" : "no_rows");
  // Empty cells are absent values: the row checks below name what is missing.
  const rows = csv.rows.map(({ line, cells }) => ({ row: line, values: Object.fromEntries(Object.entries(cells).filter(([, v]) => v !== "")) as Partial<Record<keyof typeof NOTICE_COLUMNS, string>> }));
  if (rows.length === 0) throw invalid("The file has no rows below its header", "file", "no_rows");
  if (rows.length > 10_000) throw invalid("A file may hold at most 10,000 rows", "file", "too_many_rows");
  const now = ctx.clock.now();
  const [merchant] = await ctx.db.select({ timeZone: merchants.timeZone }).from(merchants).where(eq(merchants.id, ctx.merchantId));
  const timeZone = merchant?.timeZone ?? "Asia/Tokyo";

  const errors: PaymentImportRowError[] = [];
  const parsed: ParsedRow[] = [];
  for (const { row, values } of rows) {
    const problem = (code: RowErrorCode, message: string, value?: string) => errors.push({ row, code, message, ...(value !== undefined ? { value } : {}) });
    if (!values.notice_id) {
      problem("notice_id_missing", "notice_id is missing");
      continue;
    }
    const amount = values.amount ? Number(values.amount.replace(/[,，¥円\s]/g, "")) : NaN;
    if (!Number.isInteger(amount) || amount < 1 || amount > 100_000_000) {
      problem("amount_invalid", `amount '${values.amount ?? ""}' is not a whole number of yen`, values.amount ?? "");
      continue;
    }
    const paidAt = values.paid_at ? parsePaidAt(values.paid_at, timeZone) : now;
    if (!paidAt) {
      problem("paid_at_invalid", `paid_at '${values.paid_at}' is not a date`, values.paid_at);
      continue;
    }
    const channel = values.channel ? CHANNELS[values.channel.normalize("NFKC").trim().toLowerCase()] : "konbini";
    if (!channel) {
      problem("channel_invalid", `channel '${values.channel}' is not konbini, bank or post_office`, values.channel);
      continue;
    }
    if (!values.payment_number && !values.bank_reference && !values.order_ref) {
      problem("number_missing", "payment_number, bank_reference or order_ref is needed");
      continue;
    }
    parsed.push({ row, noticeId: values.notice_id, amount, paidAt, channel, match: { paymentNumber: typedNumber(values.payment_number), bankReference: typedNumber(values.bank_reference), orderRef: values.order_ref } });
  }

  const importId = newId("abi");
  const touched: AtobaraiOrderRow[] = [];
  const counts = { recorded: 0, duplicates: 0 };
  await ctx.db.transaction(async (tx) => {
    const orders = await matchOrders(tx, ctx.merchantId, parsed);
    const matched: { row: ParsedRow; orderId: string }[] = [];
    for (const row of parsed) {
      const found = [row.match.paymentNumber && orders.byPaymentNumber.get(row.match.paymentNumber), row.match.bankReference && orders.byBankReference.get(row.match.bankReference), row.match.orderRef && orders.byOrderRef.get(row.match.orderRef)];
      const given = [row.match.paymentNumber, row.match.bankReference, row.match.orderRef];
      const ids = new Set(found.filter((id, i) => given[i] && id) as string[]);
      if (given.some((g, i) => g && !found[i]) || ids.size !== 1) {
        errors.push(ids.size > 1 ? { row: row.row, code: "different_orders", message: "the numbers name different orders" } : { row: row.row, code: "no_such_order", message: "no order has this number" });
        continue;
      }
      matched.push({ row, orderId: [...ids][0]! });
    }
    // Orders locked in id order, once each, so that two imports at once wait for each other instead of deadlocking.
    const locked = new Map<string, AtobaraiOrderRow>();
    for (const orderId of [...new Set(matched.map((m) => m.orderId))].sort()) locked.set(orderId, await lockAtobaraiOrder(tx, ctx.merchantId, orderId));
    await tx.insert(atobaraiPaymentImports).values({ id: importId, merchantId: ctx.merchantId, fileName: input.fileName.slice(0, 200), encoding, recorded: 0, duplicates: 0, refused: 0, staffUserId: ctx.actor.type === "staff" ? ctx.actor.id : null, createdAt: now });
    for (const { row, orderId } of matched) {
      const order = locked.get(orderId)!;
      try {
        const result = await applyPayment(tx, ctx, order, { noticeId: row.noticeId, channel: row.channel, amount: row.amount, paidAt: row.paidAt, importId }, await orderNow(tx, order, ctx.clock));
        locked.set(orderId, result.order);
        if (result.outcome === "recorded") counts.recorded++;
        else counts.duplicates++;
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        errors.push({ row: row.row, code: "order_not_payable", value: order.orderRef, message: `order ${order.orderRef}: ${error.message}` });
      }
    }
    errors.sort((a, b) => a.row - b.row);
    await tx.update(atobaraiPaymentImports).set({ recorded: counts.recorded, duplicates: counts.duplicates, refused: errors.length, errors }).where(eq(atobaraiPaymentImports.id, importId));
    touched.push(...locked.values());
    await recordAudit(tx, ctx, { action: "atobarai.payments_imported", targetType: "atobarai_payment_import", targetId: importId, data: { fileName: input.fileName, ...counts, refused: errors.length }, at: now });
  });
  await settleFallbackInvoices(ctx, touched);
  return {
    importId,
    ...counts,
    refused: errors.length,
    errors,
    refundsOwed: touched.filter((o) => refundOwed(o) > 0).map((o) => ({ orderId: o.id, amount: refundOwed(o) })),
  };
}

/** A number as a person or a bank typed it: full-width digits, spaces and hyphens allowed. */
const typedNumber = (text: string | undefined) => text?.normalize("NFKC").replace(/[\s-]/g, "") || undefined;

/** "2027-01-15", "2027/1/15", "20270115", optionally with a time ("2027-01-15 13:05"): in the merchant's time zone. */
function parsePaidAt(text: string, timeZone: string): Date | null {
  const m = /^(\d{4})[-/]?(\d{1,2})[-/]?(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.normalize("NFKC").trim());
  if (!m) return null;
  const date = `${m[1]}-${m[2]!.padStart(2, "0")}-${m[3]!.padStart(2, "0")}`;
  try {
    if (!m[4]) return startOfLocalDay(parseLocalDate(date), timeZone);
    return instantOfLocalDateTime(`${date}T${m[4].padStart(2, "0")}:${m[5]}:${m[6] ?? "00"}`, timeZone);
  } catch {
    return null;
  }
}

async function matchOrders(tx: Db, merchantId: string, rows: readonly ParsedRow[]) {
  const paymentNumbers = rows.flatMap((r) => r.match.paymentNumber ?? []);
  const bankReferences = rows.flatMap((r) => r.match.bankReference ?? []);
  const orderRefs = rows.flatMap((r) => r.match.orderRef ?? []);
  const found =
    rows.length === 0
      ? []
      : await tx
          .select({ id: atobaraiOrders.id, paymentNumber: atobaraiOrders.paymentNumber, bankReference: atobaraiOrders.bankReference, orderRef: atobaraiOrders.orderRef })
          .from(atobaraiOrders)
          .where(
            and(
              eq(atobaraiOrders.merchantId, merchantId),
              or(
                paymentNumbers.length ? inArray(atobaraiOrders.paymentNumber, paymentNumbers) : sql`false`,
                bankReferences.length ? inArray(atobaraiOrders.bankReference, bankReferences) : sql`false`,
                orderRefs.length ? inArray(atobaraiOrders.orderRef, orderRefs) : sql`false`,
              ),
            ),
          );
  return {
    byPaymentNumber: new Map(found.flatMap((o) => (o.paymentNumber ? [[o.paymentNumber, o.id] as const] : []))),
    byBankReference: new Map(found.flatMap((o) => (o.bankReference ? [[o.bankReference, o.id] as const] : []))),
    byOrderRef: new Map(found.map((o) => [o.orderRef, o.id] as const)),
  };
}

/** An order's payments, newest last, for its page. */
export async function atobaraiOrderPayments(ctx: ServiceContext, orderId: string) {
  const rows = await ctx.db.select().from(atobaraiPayments).where(and(eq(atobaraiPayments.merchantId, ctx.merchantId), eq(atobaraiPayments.orderId, orderId))).orderBy(atobaraiPayments.paidAt, atobaraiPayments.id);
  if (rows.length === 0) {
    const [order] = await ctx.db.select({ id: atobaraiOrders.id }).from(atobaraiOrders).where(and(eq(atobaraiOrders.merchantId, ctx.merchantId), eq(atobaraiOrders.id, orderId)));
    if (!order) throw notFound("order", orderId, "order");
  }
  return rows;
}
