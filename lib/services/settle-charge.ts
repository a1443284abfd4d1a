import { eq } from "drizzle-orm";
import { invoices } from "@/db/schema";
import type { ChargeResult } from "@/lib/gateways/payment-gateway";
import { recordAudit } from "./audit";
import { lockContract } from "./contract";
import type { ServiceContext } from "./context";
import { lockInvoice } from "./invoicing";
import { recordAttemptResult, type PreparedCharge } from "./payment-attempts";
import { applyInvoiceFailed, applyInvoicePaid } from "./payment-outcome";
import { completeAction } from "./scheduling";

export type SettleResult = { status: "paid" | "failed" | "already_settled"; failureCode?: string };

/**
 * Records a gateway answer and its consequences in one transaction. If another process settled the same
 * attempt first, nothing happens twice: the attempt row is only ever moved out of "pending" once.
 */
export async function settleCharge(
  ctx: ServiceContext,
  prepared: PreparedCharge,
  result: ChargeResult,
  options: { subscriptionId: string; actionIds?: readonly string[] },
): Promise<SettleResult> {
  return ctx.db.transaction(async (tx) => {
    const contract = await lockContract(tx, ctx.merchantId, options.subscriptionId, ctx.clock);
    const { now } = contract;
    const actionIds = new Set([...(options.actionIds ?? []), ...(prepared.attempt.actionId ? [prepared.attempt.actionId] : [])]);
    for (const actionId of actionIds) await completeAction(tx, actionId, result.status === "succeeded" ? "paid" : "failed", now);
    const attempt = await recordAttemptResult(tx, prepared.attempt.id, result, now);
    if (!attempt) return { status: "already_settled" };
    const invoice = (await lockInvoice(tx, ctx.merchantId, attempt.invoiceId))!;
    if (result.status === "succeeded") {
      await tx.update(invoices).set({ status: "paid", paidAt: now }).where(eq(invoices.id, invoice.id));
      await applyInvoicePaid(tx, contract, { ...invoice, status: "paid", paidAt: now });
    } else {
      await applyInvoiceFailed(tx, contract, invoice, attempt);
    }
    await recordAudit(tx, ctx, {
      action: result.status === "succeeded" ? "invoice.paid" : "invoice.payment_failed",
      targetType: "invoice",
      targetId: invoice.id,
      data: { attempt: attempt.attemptNumber, amount: attempt.amount, currency: attempt.currency, ...(result.status === "failed" ? { failureCode: result.failureCode } : {}) },
      at: now,
    });
    return result.status === "succeeded" ? { status: "paid" } : { status: "failed", failureCode: result.failureCode };
  });
}
