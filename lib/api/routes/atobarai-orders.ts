import { z } from "zod";
import { cancelAtobaraiOrder, returnAtobaraiOrder, shipAtobaraiOrder, shipAtobaraiOrderInput } from "@/lib/services/atobarai-order-actions";
import { atobaraiFields, atobaraiItemInput } from "@/lib/services/atobarai-order-input";
import { ATOBARAI_ORDER_STATUSES, getAtobaraiOrder, listAtobaraiOrders } from "@/lib/services/queries/atobarai-orders";
import { registerAtobaraiOrder } from "@/lib/services/register-atobarai-order";
import type { AtobaraiOrderStatus } from "@/db/schema/atobarai";
import { listOf, listQuery, toList } from "../list";
import { atobaraiOrderObject, toAtobaraiOrder } from "../objects/atobarai-orders";
import { route } from "../router";

const TAG = "後払い orders";
const { text, postalCode, phone, kana, email } = atobaraiFields;
const reason = z.string().trim().max(1000).optional().describe("Why, for the order's timeline");

export const atobaraiOrderRoutes = [
  route({
    method: "POST",
    path: "/atobarai/orders",
    tag: TAG,
    summary: "Register a 後払い order: it is screened (与信) shortly after, and the owners are mailed the result (OK, NG or 保留)",
    body: z.strictObject({
      order_ref: text(64).describe("Your own order number: one order per number (409 order_ref_taken)"),
      buyer: z.strictObject({ name: text(100), kana: kana.describe("Katakana or hiragana"), email, phone, postal_code: postalCode, address: text(200).describe("Starting with the prefecture") }),
      shipping: z.strictObject({ name: text(100), kana: kana.nullish(), phone: phone.nullish(), postal_code: postalCode, address: text(200) }).nullish().describe("Where the goods go, when not to the buyer"),
      items: z.array(z.strictObject({ name: atobaraiItemInput.shape.name, quantity: atobaraiItemInput.shape.quantity, unit_price: atobaraiItemInput.shape.unitPrice })).min(1).max(100),
      amount: z.number().int().min(1).optional().describe("Yen, tax included; when given, must be the items' total"),
      invoice_delivery: z.enum(["mail", "enclosed"]).optional().describe("mail: mailed to the buyer when the goods ship; enclosed: you print it into the parcel (同梱). Your 後払い setting when left out"),
      test_clock: z.string().max(100).optional().describe("A test clock (clock_...) for a sandbox order: registered at the clock's time, screened, reminded and settled only as the clock is advanced (404 if not yours)"),
    }),
    response: atobaraiOrderObject,
    handler: async ({ ctx, body }) =>
      toAtobaraiOrder(
        await registerAtobaraiOrder(
          ctx,
          {
            orderRef: body.order_ref,
            buyer: { ...body.buyer, postalCode: body.buyer.postal_code },
            shipping: body.shipping ? { ...body.shipping, postalCode: body.shipping.postal_code } : null,
            items: body.items.map((i) => ({ name: i.name, quantity: i.quantity, unitPrice: i.unit_price })),
            amount: body.amount,
            invoiceDelivery: body.invoice_delivery,
            testClockId: body.test_clock,
          },
          "api",
        ),
      ),
  }),
  route({
    method: "GET",
    path: "/atobarai/orders",
    tag: TAG,
    summary: "List 後払い orders, newest first, by status, a search (order number, buyer, email, phone, tracking number) and whether money is owed back",
    query: listQuery.extend({
      status: z
        .string()
        .optional()
        .refine((s) => !s || s.split(",").every((x) => (ATOBARAI_ORDER_STATUSES as readonly string[]).includes(x)), "unknown status")
        .describe("One or more statuses, comma separated"),
      q: z.string().max(200).optional(),
      refund_owed: z.enum(["true", "false"]).optional().describe("true: only orders owing money back to the buyer (返金が必要)"),
    }),
    response: listOf(atobaraiOrderObject),
    handler: async ({ ctx, query }) =>
      toList(
        await listAtobaraiOrders(ctx, { limit: query.limit, startingAfter: query.starting_after, statuses: query.status ? (query.status.split(",") as AtobaraiOrderStatus[]) : undefined, q: query.q, refundOwed: query.refund_owed === "true" }),
        toAtobaraiOrder,
      ),
  }),
  route({
    method: "GET",
    path: "/atobarai/orders/{id}",
    tag: TAG,
    summary: "Retrieve a 後払い order by its id or your order number",
    response: atobaraiOrderObject,
    handler: async ({ ctx, params }) => toAtobaraiOrder(await getAtobaraiOrder(ctx, params.id!)),
  }),
  route({
    method: "POST",
    path: "/atobarai/orders/{id}/shipment",
    tag: TAG,
    summary: "Register the tracking number of an order screened OK: the invoice is issued (due date, payment number, bank reference) and mailed to the buyer today unless enclosed",
    body: z.strictObject({
      tracking_number: shipAtobaraiOrderInput.shape.trackingNumber,
      carrier: z.string().trim().max(40).optional(),
      invoice_delivery: z.enum(["mail", "enclosed"]).optional(),
    }),
    response: atobaraiOrderObject,
    handler: async ({ ctx, params, body }) => {
      const order = await getAtobaraiOrder(ctx, params.id!);
      return toAtobaraiOrder(await shipAtobaraiOrder(ctx, { orderId: order.id, trackingNumber: body.tracking_number, carrier: body.carrier, invoiceDelivery: body.invoice_delivery }));
    },
  }),
  route({
    method: "POST",
    path: "/atobarai/orders/{id}/cancel",
    tag: TAG,
    summary: "Cancel an order before its invoice is issued (409 invoice_issued after: return it instead)",
    body: z.strictObject({ reason }),
    response: atobaraiOrderObject,
    handler: async ({ ctx, params, body }) => {
      const order = await getAtobaraiOrder(ctx, params.id!);
      return toAtobaraiOrder(await cancelAtobaraiOrder(ctx, { orderId: order.id, reason: body.reason }));
    },
  }),
  route({
    method: "POST",
    path: "/atobarai/orders/{id}/return",
    tag: TAG,
    summary: "Record the return of a shipped order: the buyer owes nothing more (what they paid is owed back: refund_owed); what you were paid for it comes off your next statement",
    body: z.strictObject({ reason }),
    response: atobaraiOrderObject,
    handler: async ({ ctx, params, body }) => {
      const order = await getAtobaraiOrder(ctx, params.id!);
      return toAtobaraiOrder(await returnAtobaraiOrder(ctx, { orderId: order.id, reason: body.reason }));
    },
  }),
];
