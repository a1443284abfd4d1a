import { bulkUpdate } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { invoices } from "@/db/schema";
import { effects } from "@/lib/billing/effects";
import { decideChargeFailed } from "@/lib/billing/decisions/charge-failed";
import { decideInvoicePaid } from "@/lib/billing/decisions/invoice-paid";
import type { ChargeResult } from "@/lib/gateways/payment-gateway";
import type { ServiceContext } from "../context";
import type { PlanFacts } from "@/lib/billing/contract";
import { type Contract, contractFacts, loadPlanFacts, lockContracts, planFacts } from "./contract";
import { ContractWriter } from "./contract-writer";
import { type InvoiceRow, invoiceLineFacts, lockInvoices } from "./invoicing";
import { type AttemptInput, openAttempts, type PreparedCharge, recordAttemptResults } from "./payment-attempts";
import { invoicesWithAutomaticRetryPending } from "./scheduled-actions";

export type SettleResult = { status: "paid" | "failed" | "already_settled"; invoiceId: string; failureCode?: string };

/** A gateway answer to settle, with the actions that asked for the charge (completed with it). */
export type ChargeToSettle = { prepared: PreparedCharge; result: ChargeResult; subscriptionId: string; actionIds?: readonly string[] };

export type SettleContext = Pick<ServiceContext, "db" | "clock" | "actor" | "links">;

/**
 * Records gateway answers and their consequences in one transaction, one charge per contract: the attempt, the
 * invoice, and what the rules decide on a paid invoice or a declined charge. An attempt moves out of "pending" once
 * only, so an answer settled by another process first changes nothing here. A charge whose contract is gone is
 * still recorded (money moved), and its actions end as failed, saying so.
 */
export async function settleCharges(ctx: SettleContext, charges: readonly ChargeToSettle[]): Promise<SettleResult[]> {
  if (charges.length === 0) return [];
  if (new Set(charges.map((c) => c.subscriptionId)).size !== charges.length) throw new Error("settleCharges: one charge per contract per call");
  return ctx.db.transaction(async (tx) => {
    const contracts = await lockContracts(tx, charges.map((c) => ({ merchantId: c.prepared.attempt.merchantId, subscriptionId: c.subscriptionId })), ctx.clock);
    const writer = new ContractWriter(ctx);
    const answers = charges.map((charge) => ({ charge, contract: contracts.get(charge.subscriptionId) }));
    const at = (contract: Contract | undefined) => contract?.now ?? ctx.clock.now();
    const completing: string[] = [];
    for (const { charge, contract } of answers) {
      const actionIds = new Set([...(charge.actionIds ?? []), ...(charge.prepared.attempt.actionId ? [charge.prepared.attempt.actionId] : [])]);
      for (const actionId of actionIds) {
        completing.push(actionId);
        const subscriptionId = charge.subscriptionId;
        if (!contract) writer.completeAction({ actionId, outcome: "contract_missing", at: at(contract), status: "failed", subscriptionId });
        else writer.completeAction({ actionId, outcome: charge.result.status === "succeeded" ? "paid" : "failed", at: contract.now, status: "done", subscriptionId });
      }
    }
    const settled = await recordAttemptResults(tx, answers.map(({ charge, contract }) => ({ attempt: charge.prepared.attempt, result: charge.result, at: at(contract) })));
    const settledAnswers = answers.filter(({ charge }) => settled.has(charge.prepared.attempt.id));
    const locked = await lockInvoices(tx, settledAnswers.map(({ charge }) => charge.prepared.attempt.invoiceId));
    const paid = settledAnswers.filter(({ charge }) => charge.result.status === "succeeded");
    // Joining fees and carried credit matter only to contracts still owing a fee, and to plan changes.
    const lineFacts = await invoiceLineFacts(
      tx,
      paid.flatMap(({ charge, contract }) => {
        const invoiceId = charge.prepared.attempt.invoiceId;
        return contract?.sub.joiningFeePending || locked.get(invoiceId)?.kind === "plan_change" ? [invoiceId] : [];
      }),
    );
    // The plan each paid invoice bills: the contract's own or its pending one almost always; any other is read.
    const plans = new Map<string, PlanFacts>();
    for (const { contract } of paid) {
      if (!contract) continue;
      plans.set(contract.plan.id, planFacts(contract.plan, contract.product));
      if (contract.pendingPlan) plans.set(contract.pendingPlan.id, contract.pendingPlan);
    }
    const otherPlans = [...new Set(paid.flatMap(({ charge }) => locked.get(charge.prepared.attempt.invoiceId)?.planId ?? []))].filter((id) => !plans.has(id));
    for (const [id, plan] of await loadPlanFacts(tx, otherPlans)) plans.set(id, plan);
    const failed = settledAnswers.filter(({ charge }) => charge.result.status === "failed");
    const retryPending = await invoicesWithAutomaticRetryPending(tx, failed.map(({ charge }) => charge.prepared.attempt.invoiceId), completing);
    await markInvoicesPaid(tx, paid.map(({ charge, contract }) => ({ id: charge.prepared.attempt.invoiceId, paidAt: at(contract) })));

    const results = answers.map(({ charge, contract }): SettleResult => {
      const invoiceId = charge.prepared.attempt.invoiceId;
      if (!settled.has(charge.prepared.attempt.id)) return { status: "already_settled", invoiceId };
      const invoice = locked.get(invoiceId)!;
      const { result } = charge;
      if (contract) {
        const facts = contractFacts(contract);
        if (result.status === "succeeded") {
          const lines = lineFacts.get(invoice.id) ?? { hasJoiningFee: false, creditCarried: 0 };
          // Written off while the charge was in flight, it had given its credit back: it takes it again.
          if (invoice.status !== "open" && invoice.creditApplied > 0) writer.apply(contract, effects({ changes: { creditBalance: contract.sub.creditBalance - invoice.creditApplied } }));
          writer.apply(contract, decideInvoicePaid(facts, { ...invoice, ...lines, plan: invoice.planId ? (plans.get(invoice.planId) ?? null) : null }));
        } else {
          writer.apply(contract, decideChargeFailed(facts, { invoice, attempt: { id: charge.prepared.attempt.id, number: charge.prepared.attempt.attemptNumber, failureCode: result.failureCode }, automaticRetryPending: retryPending.has(invoice.id) }));
        }
      }
      return result.status === "succeeded" ? { status: "paid", invoiceId } : { status: "failed", invoiceId, failureCode: result.failureCode };
    });
    await writer.flush(tx);
    return results;
  });
}

/**
 * Records a payment whose answer is already in hand (a charge the customer authenticated afterwards, money paid at a
 * konbini): the invoice's next attempt is opened and settled in the caller's transaction, which holds the contract
 * and the invoice, so it is never left in flight for a janitor or a retry to charge again.
 */
export async function settleAnsweredAttempt(tx: Db, ctx: SettleContext, invoice: InvoiceRow, input: AttemptInput, result: ChargeResult): Promise<SettleResult> {
  const [prepared] = await openAttempts(tx, [{ invoice, input }]);
  const [settled] = await settleCharges({ ...ctx, db: tx }, [{ prepared: prepared!, result, subscriptionId: invoice.subscriptionId }]);
  return settled!;
}

/** Paid invoices, whatever happened to them while the charge was in flight: money moved, so they are paid. */
async function markInvoicesPaid(tx: Db, paid: readonly { id: string; paidAt: Date }[]): Promise<void> {
  await bulkUpdate(tx, invoices, paid.map((p) => ({ id: p.id, status: "paid", paidAt: p.paidAt })), { key: "id", columns: ["status", "paidAt"] });
}
