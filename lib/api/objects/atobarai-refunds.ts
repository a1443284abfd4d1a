import { z } from "zod";
import type { AtobaraiRefundRow, RefundOutcome } from "@/lib/services/atobarai-refunds";
import { iso, timestamp } from "../list";
import { atobaraiOrderMoneyObject, toAtobaraiOrderMoney } from "./atobarai-orders";

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
    order: atobaraiOrderMoneyObject,
  })
  .meta({ id: "AtobaraiRefundResult" });

export function toAtobaraiRefundResult(result: RefundOutcome): z.infer<typeof atobaraiRefundResultObject> {
  return {
    outcome: result.outcome,
    refund: toAtobaraiRefund(result.refund),
    order: toAtobaraiOrderMoney(result.order),
  };
}
