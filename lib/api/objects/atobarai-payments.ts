import { z } from "zod";
import type { atobaraiPayments } from "@/db/schema";
import type { PaymentOutcome } from "@/lib/services/atobarai-payments";
import { iso, timestamp } from "../list";
import { atobaraiOrderMoneyObject, toAtobaraiOrderMoney } from "./atobarai-orders";

type PaymentRow = typeof atobaraiPayments.$inferSelect;

export const atobaraiPaymentObject = z
  .object({
    id: z.string().nullable().describe("null when the notice id was recorded before (`duplicate`)"),
    object: z.literal("atobarai_payment"),
    outcome: z.enum(["recorded", "duplicate"]).describe("duplicate: a payment with this notice id was recorded before; nothing changed"),
    order: atobaraiOrderMoneyObject,
  })
  .meta({ id: "AtobaraiPayment" });

export function toAtobaraiPayment(result: PaymentOutcome): z.infer<typeof atobaraiPaymentObject> {
  return {
    id: result.paymentId,
    object: "atobarai_payment",
    outcome: result.outcome,
    order: toAtobaraiOrderMoney(result.order),
  };
}

export const atobaraiPaymentRecordObject = z
  .object({ id: z.string(), object: z.literal("atobarai_payment_record"), order: z.string(), notice_id: z.string(), channel: z.string(), amount: z.number().int(), paid_at: timestamp, created: timestamp })
  .meta({ id: "AtobaraiPaymentRecord" });

export function toAtobaraiPaymentRecord(row: PaymentRow): z.infer<typeof atobaraiPaymentRecordObject> {
  return { id: row.id, object: "atobarai_payment_record", order: row.orderId, notice_id: row.noticeId, channel: row.channel, amount: row.amount, paid_at: iso(row.paidAt)!, created: iso(row.createdAt)! };
}
