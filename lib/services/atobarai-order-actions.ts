import { randomInt } from "node:crypto";
import { and, eq, or } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { atobaraiOrders, merchants } from "@/db/schema";
import { dueDateOf } from "@/lib/billing/atobarai/collection";
import { BANK_REFERENCE_BODY_DIGITS, drawReference, PAYMENT_NUMBER_BODY_DIGITS } from "@/lib/billing/atobarai/payment-reference";
import { localDateOf, startOfLocalDay } from "@/lib/billing/calendar";
import { mailKeys } from "@/lib/billing/mail-template";
import { formatMoney } from "@/lib/billing/money";
import { atobaraiInvoiceFilename } from "@/lib/mail/attachments";
import { enqueueMail } from "@/lib/mail/enqueue-mail";
import { formatMailDate } from "@/lib/mail/mail-date";
import { atobaraiAccountOf } from "./atobarai-settings";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { conflict, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";
import { type AtobaraiOrderRow, lockAtobaraiOrder, orderNow, recordOrderEvent, transitionAtobaraiOrder } from "./internal/atobarai-orders";

/** What every mail to a buyer carries from the merchant: its sender name and its footer. */
async function merchantMailHeader(tx: Db, merchantId: string): Promise<{ merchant: string; footer: string }> {
  const [m] = await tx.select({ name: merchants.name, senderName: merchants.senderName, mailFooter: merchants.mailFooter }).from(merchants).where(eq(merchants.id, merchantId));
  return { merchant: m?.senderName ?? m?.name ?? "", footer: m?.mailFooter ?? m?.name ?? "" };
}

const orderId = z.string().trim().min(1).max(64);
const note = z.string().trim().min(1).max(1000);

export const decideAtobaraiReviewInput = z.object({ orderId, decision: z.enum(["approve", "reject"]), note });

/** Staff decide an order screening put on hold (保留): approved (it may ship) or rejected, with their note. */
export async function decideAtobaraiReview(ctx: ServiceContext, input: z.input<typeof decideAtobaraiReviewInput>) {
  const data = parseInput(decideAtobaraiReviewInput, input);
  authorize(ctx.actor, "atobarai.operate");
  return ctx.db.transaction(async (tx) => {
    const order = await lockAtobaraiOrder(tx, ctx.merchantId, data.orderId);
    const now = await orderNow(tx, order, ctx.clock);
    const reviewer = ctx.actor.type === "staff" ? ctx.actor.id : `${ctx.actor.type}${ctx.actor.id ? `:${ctx.actor.id}` : ""}`;
    const updated = await transitionAtobaraiOrder(tx, order, data.decision, { set: { reviewedBy: reviewer, reviewNote: data.note }, data: { note: data.note }, actor: ctx.actor, at: now });
    await recordAudit(tx, ctx, { action: `atobarai_order.${data.decision === "approve" ? "approved" : "rejected"}`, targetType: "atobarai_order", targetId: order.id, data: { note: data.note }, at: now });
    return updated;
  });
}

export const shipAtobaraiOrderInput = z.object({
  orderId,
  trackingNumber: z
    .string()
    .trim()
    .transform((t) => t.normalize("NFKC"))
    .pipe(z.string().regex(/^[A-Za-z0-9-]{4,40}$/, "a tracking number is 4–40 letters, digits or hyphens")),
  carrier: z.string().trim().max(40).nullish(),
  /** Mailed to the buyer, or enclosed in the parcel (同梱); the order's choice when left out. */
  invoiceDelivery: z.enum(["mail", "enclosed"]).optional(),
});
export type ShipAtobaraiOrderInput = z.input<typeof shipAtobaraiOrderInput>;

/** A payment number or bank reference no other order of the merchant has (drawn again on the rare collision). */
async function freshReference(tx: Db, merchantId: string, bodyDigits: number): Promise<string> {
  for (;;) {
    const candidate = drawReference(bodyDigits, () => randomInt(10));
    const [taken] = await tx
      .select({ id: atobaraiOrders.id })
      .from(atobaraiOrders)
      .where(and(eq(atobaraiOrders.merchantId, merchantId), or(eq(atobaraiOrders.paymentNumber, candidate), eq(atobaraiOrders.bankReference, candidate))));
    if (!taken) return candidate;
  }
}

/**
 * Ships a locked, approved order: records the tracking number and issues the invoice — the due date (the merchant's
 * due days from today in its time zone), a payment number and a bank reference of its own — and mails the invoice to
 * the buyer today, the PDF attached (請求書_<order_ref>.pdf, rendered when the mail is sent) and its link kept as a
 * fallback, unless it is enclosed in the parcel (同梱), when the console offers the PDF instead.
 */
export async function shipLockedOrder(
  tx: Db,
  ctx: ServiceContext,
  order: AtobaraiOrderRow,
  data: { trackingNumber: string | null; carrier?: string | null; invoiceDelivery?: "mail" | "enclosed" | null },
  now: Date,
): Promise<AtobaraiOrderRow> {
  if (order.status !== "approved") throw conflict(order.status === "shipped" ? `Order ${order.orderRef} has shipped already` : `Only an order screened OK can ship (this one is ${order.status})`, `order_${order.status}`);
  const account = await atobaraiAccountOf(tx, ctx.merchantId);
  const today = localDateOf(now, account.timeZone);
  const dueOn = dueDateOf(today, account.settings);
  const delivery = data.invoiceDelivery ?? order.invoiceDelivery ?? account.settings.invoiceDelivery;
  const paymentNumber = await freshReference(tx, ctx.merchantId, PAYMENT_NUMBER_BODY_DIGITS);
  const bankReference = await freshReference(tx, ctx.merchantId, BANK_REFERENCE_BODY_DIGITS);
  const shipped = await transitionAtobaraiOrder(tx, order, "ship", {
    set: { trackingNumber: data.trackingNumber, carrier: data.carrier || null, invoiceDelivery: delivery, invoiceIssuedAt: now, dueOn: dueOn.toString(), paymentNumber, bankReference },
    data: { trackingNumber: data.trackingNumber, carrier: data.carrier || null, dueOn: dueOn.toString(), invoiceDelivery: delivery },
    actor: ctx.actor,
    at: now,
  });
  if (delivery === "mail") {
    const header = await merchantMailHeader(tx, ctx.merchantId);
    await enqueueMail(tx, {
      merchantId: ctx.merchantId,
      template: "atobarai_invoice",
      to: order.buyerEmail,
      locale: "ja",
      variables: {
        ...header,
        name: order.buyerName,
        order_ref: order.orderRef,
        amount: formatMoney({ amount: order.amount, currency: order.currency }),
        due_date: formatMailDate(startOfLocalDay(dueOn, account.timeZone), account.timeZone, "ja"),
        payment_number: paymentNumber,
        bank_reference: bankReference,
      },
      links: { atobarai_invoice: order.id },
      attachments: [{ kind: "atobarai_invoice", orderId: order.id, filename: atobaraiInvoiceFilename(order.orderRef) }],
      idempotencyKey: mailKeys.atobaraiInvoice(order.id),
      at: now,
      testClockId: order.testClockId,
    });
    await recordOrderEvent(tx, order, { kind: "invoice_mailed", data: { to: order.buyerEmail }, actor: ctx.actor, at: now });
  }
  await recordAudit(tx, ctx, { action: "atobarai_order.shipped", targetType: "atobarai_order", targetId: order.id, data: { trackingNumber: data.trackingNumber, dueOn: dueOn.toString(), invoiceDelivery: delivery }, at: now });
  return shipped;
}

/** Registers an approved order's tracking number, which issues its invoice (form and API). */
export async function shipAtobaraiOrder(ctx: ServiceContext, input: ShipAtobaraiOrderInput) {
  const data = parseInput(shipAtobaraiOrderInput, input);
  authorize(ctx.actor, "atobarai.operate");
  return ctx.db.transaction(async (tx) => {
    const order = await lockAtobaraiOrder(tx, ctx.merchantId, data.orderId);
    return shipLockedOrder(tx, ctx, order, data, await orderNow(tx, order, ctx.clock));
  });
}

export const cancelAtobaraiOrderInput = z.object({ orderId, reason: z.string().trim().max(1000).nullish() });

/** Cancels an order before its invoice is issued (registered, screened, on hold); after it, only a return. */
export async function cancelAtobaraiOrder(ctx: ServiceContext, input: z.input<typeof cancelAtobaraiOrderInput>) {
  const data = parseInput(cancelAtobaraiOrderInput, input);
  authorize(ctx.actor, "atobarai.operate");
  return ctx.db.transaction(async (tx) => {
    const order = await lockAtobaraiOrder(tx, ctx.merchantId, data.orderId);
    const now = await orderNow(tx, order, ctx.clock);
    if (order.status === "shipped" || order.status === "paid" || order.status === "collection") throw conflict("The invoice is issued: the order can only be returned now", "invoice_issued");
    const updated = await transitionAtobaraiOrder(tx, order, "cancel", { set: { canceledAt: now }, data: { reason: data.reason || null }, actor: ctx.actor, at: now });
    await recordAudit(tx, ctx, { action: "atobarai_order.canceled", targetType: "atobarai_order", targetId: order.id, data: { reason: data.reason || null }, at: now });
    return updated;
  });
}

export const returnAtobaraiOrderInput = z.object({ orderId, reason: z.string().trim().max(1000).nullish() });

/**
 * Records the goods' return after the invoice: the buyer owes nothing more. What the merchant was paid for it comes
 * off its next statement (the settlement's part).
 */
export async function returnAtobaraiOrder(ctx: ServiceContext, input: z.input<typeof returnAtobaraiOrderInput>) {
  const data = parseInput(returnAtobaraiOrderInput, input);
  authorize(ctx.actor, "atobarai.operate");
  return ctx.db.transaction(async (tx) => {
    const order = await lockAtobaraiOrder(tx, ctx.merchantId, data.orderId);
    const now = await orderNow(tx, order, ctx.clock);
    if (order.status === "approved" || order.status === "registered" || order.status === "in_review") throw conflict("No invoice is issued yet: cancel the order instead", "no_invoice");
    const updated = await transitionAtobaraiOrder(tx, order, "return", { set: { returnedAt: now }, data: { reason: data.reason || null }, actor: ctx.actor, at: now });
    await recordAudit(tx, ctx, { action: "atobarai_order.returned", targetType: "atobarai_order", targetId: order.id, data: { reason: data.reason || null }, at: now });
    return updated;
  });
}
