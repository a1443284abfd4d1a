import { createHash } from "node:crypto";
import { z } from "zod";
import { atobaraiOrderRefunds, atobaraiRefundInput, recordAtobaraiRefund } from "@/lib/services/atobarai-refunds";
import { atobaraiRefundObject, atobaraiRefundResultObject, toAtobaraiRefund, toAtobaraiRefundResult } from "../objects/atobarai-refunds";
import { route } from "../router";

/** The refund's own key from the request's Idempotency-Key (per order, so one key on two orders is two requests). */
const requestKey = (orderId: string, idempotencyKey: string | null) => (idempotencyKey ? `api:${orderId}:${createHash("sha256").update(idempotencyKey).digest("hex")}` : null);

export const atobaraiRefundRoutes = [
  route({
    method: "POST",
    path: "/atobarai/orders/{id}/refunds",
    tag: "後払い orders",
    summary:
      "返金の記録: record money you paid back to the buyer (a bank transfer, cash or otherwise) on an order that owes some back (`refund_owed`: paid beyond the amount, " +
      "or everything paid once returned). Never more than is owed (400 refund_exceeds_owed; 409 no_refund_owed). Send an Idempotency-Key to make it safe to repeat.",
    body: z.strictObject({
      amount: atobaraiRefundInput.shape.amount.describe("Yen paid back; at most the order's refund_owed"),
      method: atobaraiRefundInput.shape.method.describe("bank_transfer (振込), cash (現金) or other"),
      note: atobaraiRefundInput.shape.note.describe("The transfer's reference, or how the money went back"),
      refunded_at: z.iso.datetime({ offset: true }).nullish().describe("When the buyer was paid back; now when absent"),
    }),
    response: atobaraiRefundResultObject,
    handler: async ({ ctx, params, body, idempotencyKey }) =>
      toAtobaraiRefundResult(
        await recordAtobaraiRefund(ctx, {
          orderId: params.id!,
          amount: body.amount,
          method: body.method,
          note: body.note,
          refundedAt: body.refunded_at ? new Date(body.refunded_at) : null,
          requestKey: requestKey(params.id!, idempotencyKey),
        }),
      ),
  }),
  route({
    method: "GET",
    path: "/atobarai/orders/{id}/refunds",
    tag: "後払い orders",
    summary: "返金の一覧: the refunds recorded on a 後払い order, oldest first",
    response: z.object({ object: z.literal("list"), data: z.array(atobaraiRefundObject) }),
    handler: async ({ ctx, params }) => ({ object: "list" as const, data: (await atobaraiOrderRefunds(ctx, params.id!)).map(toAtobaraiRefund) }),
  }),
];
