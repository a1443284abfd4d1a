import { z } from "zod";
import type { AtobaraiOrderRow } from "@/lib/services/internal/atobarai-orders";
import { orderBalance, refundOwed } from "@/lib/billing/atobarai/order-state";
import { iso, timestamp } from "../list";

const address = z.object({ name: z.string(), kana: z.string().nullable(), phone: z.string().nullable(), postal_code: z.string().describe("7 digits"), address: z.string() });

export const atobaraiOrderObject = z
  .object({
    id: z.string(),
    object: z.literal("atobarai_order"),
    order_ref: z.string().describe("The merchant's own order number (one order per number)"),
    status: z
      .enum(["registered", "in_review", "approved", "rejected", "shipped", "paid", "collection", "canceled", "returned"])
      .describe("registered: waiting for screening; approved (OK) / rejected (NG) / in_review (保留: staff decide); shipped: the invoice is issued; paid; collection (要回収); canceled (before the invoice); returned (after it)"),
    buyer: z.object({ name: z.string(), kana: z.string(), email: z.string(), phone: z.string(), postal_code: z.string(), address: z.string() }),
    shipping: address.nullable().describe("Where the goods go when not to the buyer"),
    items: z.array(z.object({ name: z.string(), quantity: z.number().int(), unit_price: z.number().int() })),
    amount: z.number().int().describe("Yen, tax included: what the buyer pays"),
    currency: z.string(),
    screening: z
      .object({
        result: z.enum(["ok", "ng", "review"]),
        reasons: z.array(z.object({ rule: z.string() }).loose()).describe("Each rule that found something, with what it found"),
        screened: timestamp,
        review_note: z.string().nullable().describe("Staff's note deciding an order on hold"),
      })
      .nullable(),
    shipment: z.object({ tracking_number: z.string(), carrier: z.string().nullable() }).nullable(),
    invoice: z
      .object({
        delivery: z.enum(["mail", "enclosed"]).describe("mail: mailed to the buyer; enclosed: in the parcel (同梱)"),
        issued: timestamp,
        due_on: z.string().describe("Local date (merchant's time zone), YYYY-MM-DD"),
        payment_number: z.string().describe("払込票番号 for a konbini or post office (check digit last)"),
        bank_reference: z.string().describe("振込依頼人番号 for a bank transfer (check digit last)"),
      })
      .nullable(),
    amount_paid: z.number().int(),
    amount_refunded: z.number().int().describe("What staff paid back to the buyer (POST /atobarai/orders/{id}/refunds)"),
    balance: z.number().int().describe("Left to pay; negative: owed back to the buyer. A returned or canceled order is due nothing"),
    refund_owed: z.number().int().describe("返金が必要: paid − amount − refunded (all that was paid, less refunds, once returned); never negative"),
    created: timestamp,
    canceled: timestamp.nullable(),
    returned: timestamp.nullable(),
    test_clock: z.string().nullable().describe("The test clock (clock_...) a sandbox order lives on: its times are the clock's, and it moves on when the clock is advanced"),
  })
  .meta({ id: "AtobaraiOrder" });

export function toAtobaraiOrder(row: AtobaraiOrderRow): z.infer<typeof atobaraiOrderObject> {
  return {
    id: row.id,
    object: "atobarai_order",
    order_ref: row.orderRef,
    status: row.status,
    buyer: { name: row.buyerName, kana: row.buyerKana, email: row.buyerEmail, phone: row.buyerPhone, postal_code: row.postalCode, address: row.address },
    shipping: row.shipping ? { name: row.shipping.name, kana: row.shipping.kana, phone: row.shipping.phone, postal_code: row.shipping.postalCode, address: row.shipping.address } : null,
    items: row.items.map((i) => ({ name: i.name, quantity: i.quantity, unit_price: i.unitPrice })),
    amount: row.amount,
    currency: row.currency,
    screening: row.screeningResult && row.screenedAt ? { result: row.screeningResult, reasons: row.screeningReasons ?? [], screened: iso(row.screenedAt)!, review_note: row.reviewNote } : null,
    shipment: row.trackingNumber ? { tracking_number: row.trackingNumber, carrier: row.carrier } : null,
    invoice:
      row.invoiceIssuedAt && row.dueOn && row.paymentNumber && row.bankReference
        ? { delivery: row.invoiceDelivery ?? "mail", issued: iso(row.invoiceIssuedAt)!, due_on: row.dueOn, payment_number: row.paymentNumber, bank_reference: row.bankReference }
        : null,
    amount_paid: row.amountPaid,
    amount_refunded: row.amountRefunded,
    balance: orderBalance(row),
    refund_owed: refundOwed(row),
    created: iso(row.createdAt)!,
    canceled: iso(row.canceledAt),
    returned: iso(row.returnedAt),
    test_clock: row.testClockId,
  };
}

/** An order's money after a payment or a refund was recorded on it (the payment's and the refund's answers). */
export const atobaraiOrderMoneyObject = z.object({
  id: z.string(),
  status: z.string(),
  amount: z.number().int(),
  amount_paid: z.number().int(),
  amount_refunded: z.number().int(),
  balance: z.number().int().describe("What is left to pay; negative when the buyer paid more (the excess is owed back)"),
  refund_owed: z.number().int().describe("返金が必要: what the buyer paid beyond the amount (all of it once returned), less refunds"),
});

export function toAtobaraiOrderMoney(order: AtobaraiOrderRow): z.infer<typeof atobaraiOrderMoneyObject> {
  return { id: order.id, status: order.status, amount: order.amount, amount_paid: order.amountPaid, amount_refunded: order.amountRefunded, balance: orderBalance(order), refund_owed: refundOwed(order) };
}
