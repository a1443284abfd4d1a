import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { atobaraiOrders, customers, subscriptions } from "@/db/schema";
import { buyerKeys } from "@/lib/billing/atobarai/buyer-identity";
import { newId } from "@/lib/ids";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { conflict, notFound, parseInput } from "./errors";
import { shipLockedOrder } from "./atobarai-order-actions";
import { atobaraiAccountOf } from "./atobarai-settings";
import type { AtobaraiOrderRow } from "./internal/atobarai-orders";
import { recordAudit } from "./internal/audit";
import { customerNow } from "./internal/contract";
import { lockInvoice } from "./internal/invoicing";

export const atobaraiFallbackInput = z.object({
  subscriptionId: z.string().min(1),
  /** What the invoice is addressed to (a card customer may have left no address): the console fills in what it knows. */
  buyerKana: z.string().trim().min(1).max(100),
  buyerPhone: z.string().trim().min(1).max(30),
  postalCode: z
    .string()
    .transform((v) => v.normalize("NFKC").replace(/[\s-〒]/g, ""))
    .pipe(z.string().regex(/^\d{7}$/, "postal code: 7 digits")),
  address: z.string().trim().min(1).max(300),
});

/**
 * A card's fallback (issue 14): the overdue invoice of a recurring contract whose card charge failed is sent to the
 * customer as a 後払い invoice to pay at a konbini, a post office or by bank transfer: an order that collects that
 * invoice (fallback_for_invoice_id), approved (the customer is known) and invoiced at once. Paying it settles the
 * overdue invoice as a card payment would (atobarai-fallback.ts), and the contract recovers by the usual rule.
 * One open fallback per invoice.
 */
export async function sendAtobaraiFallback(ctx: ServiceContext, input: z.input<typeof atobaraiFallbackInput>): Promise<AtobaraiOrderRow> {
  const data = parseInput(atobaraiFallbackInput, input);
  authorize(ctx.actor, "atobarai.operate");
  return ctx.db.transaction(async (tx) => {
    await atobaraiAccountOf(tx, ctx.merchantId);
    const [sub] = await tx.select().from(subscriptions).where(and(eq(subscriptions.id, data.subscriptionId), eq(subscriptions.merchantId, ctx.merchantId))).for("no key update");
    if (!sub) throw notFound("subscription", data.subscriptionId, "subscriptionId");
    if (!sub.overdueInvoiceId) throw conflict("This contract owes no overdue invoice", "nothing_overdue");
    const invoice = await lockInvoice(tx, ctx.merchantId, sub.overdueInvoiceId);
    if (!invoice || invoice.status !== "open") throw conflict("The overdue invoice is not open", "invoice_not_open");
    if (invoice.currency.toUpperCase() !== "JPY") throw conflict("後払い collects yen only", "currency_not_jpy");
    const earlier = await tx.select({ status: atobaraiOrders.status }).from(atobaraiOrders).where(eq(atobaraiOrders.fallbackForInvoiceId, invoice.id));
    if (earlier.some((o) => o.status === "shipped" || o.status === "collection")) throw conflict("A konbini / bank invoice for this amount was already sent", "fallback_already_sent");
    const [customer] = await tx.select().from(customers).where(eq(customers.id, sub.customerId));
    const now = await customerNow(tx, sub.testClockId, ctx.clock);
    const keys = buyerKeys({ phone: data.buyerPhone, email: customer!.email, postalCode: data.postalCode, address: data.address });
    const [approved] = await tx
      .insert(atobaraiOrders)
      .values({
        id: newId("abo"),
        merchantId: ctx.merchantId,
        orderRef: `FB-${invoice.id}-${earlier.length + 1}`,
        status: "approved",
        buyerName: customer!.name,
        buyerKana: data.buyerKana,
        buyerEmail: customer!.email,
        buyerPhone: data.buyerPhone,
        postalCode: data.postalCode,
        address: data.address,
        items: [{ name: `請求 ${invoice.id}`, quantity: 1, unitPrice: invoice.total }],
        amount: invoice.total,
        buyerPhoneKey: keys.phone,
        buyerEmailKey: keys.email,
        buyerAddressKey: keys.address,
        source: "console",
        screeningResult: "ok",
        screeningReasons: [],
        screenedAt: now,
        fallbackForInvoiceId: invoice.id,
        testClockId: sub.testClockId,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    // Nothing is shipped: the invoice is issued and mailed as a shipment's would be, with no tracking number.
    const shipped = await shipLockedOrder(tx, ctx, approved!, { trackingNumber: null, carrier: null, invoiceDelivery: "mail" }, now);
    await recordAudit(tx, ctx, { action: "atobarai.fallback_sent", targetType: "subscription", targetId: sub.id, data: { invoiceId: invoice.id, orderId: shipped.id, amount: invoice.total }, at: now });
    return shipped;
  });
}
