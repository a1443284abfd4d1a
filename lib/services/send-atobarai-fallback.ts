import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { atobaraiOrders, customers, subscriptions } from "@/db/schema";
import { buyerKeys, normalizeEmail } from "@/lib/billing/atobarai/buyer-identity";
import { newId } from "@/lib/ids";
import { authorize } from "./authorize";
import { type Platform, type ServiceContext, SYSTEM_ACTOR } from "./context";
import { conflict, notFound, parseInput, ServiceError } from "./errors";
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

export type FallbackBuyer = Omit<z.input<typeof atobaraiFallbackInput>, "subscriptionId">;

/**
 * Where a contract's fallback invoice goes, as far as is known: the customer's phone and address from their record,
 * and (the record has none) the name in kana from their newest 後払い order under the same e-mail address. Empty
 * where nothing is known. The console fills its form in with it; the dunning timeline sends with it.
 */
export async function fallbackBuyerOf(db: Db, merchantId: string, subscriptionId: string): Promise<FallbackBuyer> {
  const [row] = await db
    .select({ email: customers.email, phone: customers.phone, address: customers.address })
    .from(subscriptions)
    .innerJoin(customers, eq(customers.id, subscriptions.customerId))
    .where(and(eq(subscriptions.merchantId, merchantId), eq(subscriptions.id, subscriptionId)));
  if (!row) return { buyerKana: "", buyerPhone: "", postalCode: "", address: "" };
  const emailKey = normalizeEmail(row.email);
  const [earlier] = emailKey
    ? await db
        .select({ kana: atobaraiOrders.buyerKana })
        .from(atobaraiOrders)
        .where(and(eq(atobaraiOrders.merchantId, merchantId), eq(atobaraiOrders.buyerEmailKey, emailKey)))
        .orderBy(desc(atobaraiOrders.createdAt), desc(atobaraiOrders.id))
        .limit(1)
    : [];
  const address = row.address ?? {};
  return {
    buyerKana: earlier?.kana ?? "",
    buyerPhone: row.phone ?? "",
    postalCode: address.postalCode ?? address.postal_code ?? "",
    address: [address.prefecture ?? address.state, address.city, address.line1, address.line2].filter(Boolean).join("") || (address.address ?? ""),
  };
}

/**
 * The dunning timeline's fallback invoice (an atobarai_fallback action), inside the action's transaction: sent by
 * sendAtobaraiFallback as the system, to the buyer fallbackBuyerOf knows. What keeps it from being sent (後払い
 * off, an invoice not in yen, no longer open or already sent by staff, the buyer's details incomplete) ends the
 * action as skipped with that reason.
 */
export async function sendScheduledAtobaraiFallback(tx: Db, platform: Platform, merchantId: string, subscriptionId: string): Promise<{ outcome: string; status: "done" | "skipped" }> {
  try {
    // 後払い off comes first: without it no buyer's details are known either, and that is not the reason.
    await atobaraiAccountOf(tx, merchantId);
    const buyer = await fallbackBuyerOf(tx, merchantId, subscriptionId);
    // A savepoint inside the action's transaction: a refusal takes back nothing but the sending.
    await sendAtobaraiFallback({ ...platform, db: tx, actor: SYSTEM_ACTOR, merchantId }, { subscriptionId, ...buyer });
    return { outcome: "fallback_sent", status: "done" };
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    if (error.code === "conflict" && error.details.reason) return { outcome: `skipped_${error.details.reason}`, status: "skipped" };
    if (error.code === "invalid") return { outcome: "skipped_buyer_details_missing", status: "skipped" };
    throw error;
  }
}
