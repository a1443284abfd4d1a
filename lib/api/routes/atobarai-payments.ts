import { z } from "zod";
import { atobaraiOrderPayments, atobaraiPaymentInput, recordAtobaraiPayment } from "@/lib/services/atobarai-payments";
import { atobaraiPaymentObject, atobaraiPaymentRecordObject, toAtobaraiPayment, toAtobaraiPaymentRecord } from "../objects/atobarai-payments";
import { route } from "../router";

export const atobaraiPaymentRoutes = [
  route({
    method: "POST",
    path: "/atobarai/orders/{id}/payments",
    tag: "後払い orders",
    summary:
      "Record a buyer's payment on an invoiced 後払い order, once per `notice_id` (the same notice again records nothing: `outcome: duplicate`). Paying the balance " +
      "moves the order to `paid`; less leaves the rest as `balance`; more is shown as `refund_owed`. 409 for an order without an invoice (not shipped).",
    body: z.strictObject({
      notice_id: atobaraiPaymentInput.shape.noticeId,
      amount: atobaraiPaymentInput.shape.amount.describe("Yen"),
      paid_at: z.iso.datetime({ offset: true }).nullish().describe("When the buyer paid; now when absent"),
      channel: atobaraiPaymentInput.shape.channel,
    }),
    response: atobaraiPaymentObject,
    handler: async ({ ctx, params, body }) =>
      toAtobaraiPayment(await recordAtobaraiPayment(ctx, { orderId: params.id!, noticeId: body.notice_id, amount: body.amount, paidAt: body.paid_at ? new Date(body.paid_at) : null, channel: body.channel })),
  }),
  route({
    method: "GET",
    path: "/atobarai/orders/{id}/payments",
    tag: "後払い orders",
    summary: "The payments recorded on a 後払い order, oldest first",
    response: z.object({ object: z.literal("list"), data: z.array(atobaraiPaymentRecordObject) }),
    handler: async ({ ctx, params }) => ({ object: "list" as const, data: (await atobaraiOrderPayments(ctx, params.id!)).map(toAtobaraiPaymentRecord) }),
  }),
];
