import { and, eq, isNull, not, sql } from "drizzle-orm";
import { inList } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { scheduledActions } from "@/db/schema";
import type { ChargeResult } from "@/lib/gateways/payment-gateway";
import { lockContracts } from "./contract";
import { ContractWrites } from "./contract-writes";
import type { ServiceContext } from "./context";
import { invoicesWithJoiningFee, lockInvoices } from "./invoicing";
import { recordAttemptResults, type PreparedCharge } from "./payment-attempts";
import { applyInvoiceFailed, applyInvoicePaid } from "./payment-outcome";

export type SettleResult = { status: "paid" | "failed" | "already_settled"; failureCode?: string };

/** A gateway answer to settle, with the actions that asked for the charge (completed with it). */
export type ChargeToSettle = { prepared: PreparedCharge; result: ChargeResult; subscriptionId: string; actionIds?: readonly string[] };

/** settleCharges for one charge. */
export async function settleCharge(
  ctx: Omit<ServiceContext, "merchantId">,
  prepared: PreparedCharge,
  result: ChargeResult,
  options: { subscriptionId: string; actionIds?: readonly string[] },
): Promise<SettleResult> {
  const [settled] = await settleCharges(ctx, [{ prepared, result, ...options }]);
  return settled!;
}

/**
 * Records gateway answers and their consequences in one transaction, for one contract each. If another process
 * settled an attempt first, nothing happens twice: an attempt row is only ever moved out of "pending" once.
 */
export async function settleCharges(ctx: Omit<ServiceContext, "merchantId">, charges: readonly ChargeToSettle[]): Promise<SettleResult[]> {
  if (charges.length === 0) return [];
  if (new Set(charges.map((c) => c.subscriptionId)).size !== charges.length) throw new Error("settleCharges: one charge per contract per call");
  return ctx.db.transaction(async (tx) => {
    const contracts = await lockContracts(
      tx,
      charges.map((c) => ({ merchantId: c.prepared.attempt.merchantId, subscriptionId: c.subscriptionId })),
      ctx.clock,
    );
    const writes = new ContractWrites();
    const completing: string[] = [];
    const answers = charges.map((charge) => {
      const contract = contracts.get(charge.subscriptionId);
      if (!contract) throw new Error(`settleCharges: contract ${charge.subscriptionId} not found`);
      const { attempt } = charge.prepared;
      const actionIds = new Set([...(charge.actionIds ?? []), ...(attempt.actionId ? [attempt.actionId] : [])]);
      for (const actionId of actionIds) {
        writes.completeAction({ actionId, outcome: charge.result.status === "succeeded" ? "paid" : "failed", at: contract.now });
        completing.push(actionId);
      }
      return { contract, charge };
    });
    const settled = await recordAttemptResults(
      tx,
      answers.map(({ contract, charge }) => ({ attempt: charge.prepared.attempt, result: charge.result, at: contract.now })),
    );
    const invoices = await lockInvoices(tx, [...settled.values()].map((a) => a.invoiceId));
    const paid = answers.filter(({ charge }) => settled.has(charge.prepared.attempt.id) && charge.result.status === "succeeded");
    const failed = answers.filter(({ charge }) => settled.has(charge.prepared.attempt.id) && charge.result.status === "failed");
    const withJoiningFee = await invoicesWithJoiningFee(
      tx,
      paid.filter(({ contract }) => contract.sub.joiningFeePending).map(({ charge }) => settled.get(charge.prepared.attempt.id)!.invoiceId),
    );
    const retryPending = await invoicesWithAutomaticRetryPending(tx, failed.map(({ charge }) => settled.get(charge.prepared.attempt.id)!.invoiceId), completing);

    const results = answers.map(({ contract, charge }): SettleResult => {
      const attempt = settled.get(charge.prepared.attempt.id);
      if (!attempt) return { status: "already_settled" };
      const invoice = invoices.get(attempt.invoiceId)!;
      const { now } = contract;
      if (charge.result.status === "succeeded") {
        writes.setInvoiceStatus(invoice.id, "paid", { paidAt: now });
        applyInvoicePaid(writes, contract, { ...invoice, status: "paid", paidAt: now }, { invoiceHasJoiningFee: withJoiningFee.has(invoice.id) });
      } else {
        applyInvoiceFailed(writes, contract, invoice, attempt, { automaticRetryPending: retryPending.has(invoice.id) });
      }
      writes.audit({
        merchantId: contract.sub.merchantId,
        actor: ctx.actor,
        action: charge.result.status === "succeeded" ? "invoice.paid" : "invoice.payment_failed",
        targetType: "invoice",
        targetId: invoice.id,
        data: {
          attempt: attempt.attemptNumber,
          amount: attempt.amount,
          currency: attempt.currency,
          ...(charge.result.status === "failed" ? { failureCode: charge.result.failureCode } : {}),
        },
        at: now,
      });
      return charge.result.status === "succeeded" ? { status: "paid" } : { status: "failed", failureCode: charge.result.failureCode };
    });
    await writes.flush(tx);
    return results;
  });
}

/** Invoices that still have an automatic retry planned, besides the actions being completed now. */
async function invoicesWithAutomaticRetryPending(tx: Db, invoiceIds: readonly string[], completing: readonly string[]): Promise<Set<string>> {
  if (invoiceIds.length === 0) return new Set();
  const rows = await tx
    .selectDistinct({ invoiceId: scheduledActions.invoiceId })
    .from(scheduledActions)
    .where(
      and(
        inList(scheduledActions.invoiceId, invoiceIds),
        eq(scheduledActions.kind, "retry"),
        eq(scheduledActions.status, "pending"),
        isNull(sql`${scheduledActions.payload}->>'manual'`),
        completing.length > 0 ? not(inList(scheduledActions.id, completing)) : undefined,
      ),
    );
  return new Set(rows.map((row) => row.invoiceId!));
}
