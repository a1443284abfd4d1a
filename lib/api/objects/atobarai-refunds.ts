import { z } from "zod";
import { orderBalance, refundOwed } from "@/lib/billing/atobarai/order-state";
import type { AtobaraiRefundRow, RefundOutcome } from "@/lib/services/atobarai-refunds";
import { iso, timestamp } from "../list";

export const atobaraiRefundObject = z
  .object({
    id: z.string(),
    object: z.literal("atobarai_refund"),
    order: z.string(),
    amount: z.number().int().describe("Yen paid back to the buyer"),
    method: z.enum(["bank_transfer", "cash", "other"]),
    note: z.string().nullable().describe("The transfer's reference, or how the money went back"),
    refunded_at: timestamp,
    recorded_by: z.string().describe("staff:<id> or api_key:<id>"),
    created: timestamp,
  })
  .meta({ id: "AtobaraiRefund" });

export function toAtobaraiRefund(row: AtobaraiRefundRow): z.infer<typeof atobaraiRefundObject> {
  return {
    id: row.id,
    object: "atobarai_refund",
    order: row.orderId,
    amount: row.amount,
    method: row.method,
    note: row.note,
    refunded_at: iso(row.refundedAt)!,
    recorded_by: row.recordedBy,
    created: iso(row.createdAt)!,
  };
}

export const atobaraiRefundResultObject = z
  .object({
    outcome: z.enum(["recorded", "duplicate"]).describe("duplicate: this request was recorded before (same Idempotency-Key); nothing changed"),
    refund: atobaraiRefundObject,
    order: z.object({
      id: z.string(),
      status: z.string(),
      amount: z.number().int(),
      amount_paid: z.number().int(),
      amount_refunded: z.number().int(),
      balance: z.number().int(),
      refund_owed: z.number().int().describe("What is still owed back to the buyer after this refund"),
    }),
  })
  .meta({ id: "AtobaraiRefundResult" });

export function toAtobaraiRefundResult(result: RefundOutcome): z.infer<typeof atobaraiRefundResultObject> {
  const o = result.order;
  return {
    outcome: result.outcome,
    refund: toAtobaraiRefund(result.refund),
    order: { id: o.id, status: o.status, amount: o.amount, amount_paid: o.amountPaid, amount_refunded: o.amountRefunded, balance: orderBalance(o), refund_owed: refundOwed(o) },
  };
}
