import { and, eq, isNotNull } from "drizzle-orm";
import { atobaraiOrders, invoices, paymentAttempts } from "@/db/schema";
import type { ServiceContext } from "../context";
import type { AtobaraiOrderRow } from "./atobarai-orders";
import { lockContract } from "./contract";
import { lockInvoice } from "./invoicing";
import { settleAnsweredAttempt } from "./settlement";

/** The gateway charge id an invoice paid by a 後払い order records (no card: the buyer paid at a konbini or bank). */
export const atobaraiChargeId = (orderId: string) => `atobarai:${orderId}`;

/**
 * A card's fallback paid: each paid order that collects a contract's overdue invoice settles that invoice as a card
 * payment would (an attempt answered "succeeded", through settleCharges), so the contract recovers by the usual rule.
 * The attempt is opened and settled in one transaction under the contract's lock. Safe to repeat: an invoice no
 * longer open, or with a card charge still in flight, is left alone (the reminder worker's pass tries again).
 */
export async function settleFallbackInvoices(ctx: Pick<ServiceContext, "db" | "clock" | "actor" | "links">, orders: readonly Pick<AtobaraiOrderRow, "id" | "merchantId" | "status" | "fallbackForInvoiceId">[]): Promise<number> {
  let settled = 0;
  for (const order of orders) {
    if (order.status !== "paid" || !order.fallbackForInvoiceId) continue;
    const paid = await ctx.db.transaction(async (tx) => {
      const [owner] = await tx.select({ subscriptionId: invoices.subscriptionId }).from(invoices).where(eq(invoices.id, order.fallbackForInvoiceId!));
      if (!owner) return false;
      // The contract first, then its invoice: the order every settlement locks them in. Its `now` is its test clock's.
      const contract = await lockContract(tx, order.merchantId, owner.subscriptionId, ctx.clock);
      const invoice = await lockInvoice(tx, order.merchantId, order.fallbackForInvoiceId!);
      if (!invoice || invoice.status !== "open") return false;
      const inFlight = await tx.$count(paymentAttempts, and(eq(paymentAttempts.invoiceId, invoice.id), eq(paymentAttempts.status, "pending")));
      if (inFlight > 0) return false;
      const input = { paymentMethodId: null, trigger: "manual" as const, actionId: null, at: contract.now };
      return (await settleAnsweredAttempt(tx, ctx, invoice, input, { status: "succeeded", chargeId: atobaraiChargeId(order.id) })).status === "paid";
    });
    if (paid) settled++;
  }
  return settled;
}

/** Paid fallback orders whose invoice is still open (a settle that did not happen after the payment): for the worker. */
export async function unsettledFallbackOrders(ctx: Pick<ServiceContext, "db">, limit = 100) {
  return ctx.db
    .select({ id: atobaraiOrders.id, merchantId: atobaraiOrders.merchantId, status: atobaraiOrders.status, fallbackForInvoiceId: atobaraiOrders.fallbackForInvoiceId })
    .from(atobaraiOrders)
    .innerJoin(invoices, eq(invoices.id, atobaraiOrders.fallbackForInvoiceId))
    .where(and(eq(atobaraiOrders.status, "paid"), isNotNull(atobaraiOrders.fallbackForInvoiceId), eq(invoices.status, "open")))
    .limit(limit);
}
