import { and, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { inList } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { paymentAttempts, subscriptions } from "@/db/schema";
import type { BillingSettings } from "@/lib/billing/billing-settings";
import { AUTHENTICATION_REQUIRED } from "@/lib/billing/decline";
import { type OverdueCourse, type Replan, replanOverdue } from "@/lib/billing/decisions/replan";
import type { Clock } from "../context";
import { type Contract, contractFacts, lockContracts } from "./contract";
import { collectionActionsOf } from "./scheduled-actions";

export type ContractReplan = { contract: Contract; replan: Replan };

/**
 * What new billing settings change for a merchant's contracts that owe an invoice (past due or unpaid): each one
 * locked, its course read, and the rules asked (replanOverdue). Only the contracts whose plan changes are returned.
 */
export async function replanOverdueContracts(tx: Db, merchantId: string, settings: BillingSettings, clock: Clock): Promise<ContractReplan[]> {
  const owing = await tx
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(and(eq(subscriptions.merchantId, merchantId), inArray(subscriptions.status, ["past_due", "unpaid"]), isNotNull(subscriptions.overdueInvoiceId)));
  if (owing.length === 0) return [];
  const contracts = [...(await lockContracts(tx, owing.map((o) => ({ merchantId, subscriptionId: o.id })), clock)).values()];
  const invoiceIds = contracts.map((c) => c.sub.overdueInvoiceId!);
  const firstFailures = await tx
    .select({ invoiceId: paymentAttempts.invoiceId, at: sql<Date>`min(${paymentAttempts.attemptedAt})`.mapWith(paymentAttempts.attemptedAt) })
    .from(paymentAttempts)
    .where(and(inList(paymentAttempts.invoiceId, invoiceIds), eq(paymentAttempts.status, "failed")))
    .groupBy(paymentAttempts.invoiceId);
  const firstFailureOf = new Map(firstFailures.map((f) => [f.invoiceId, f.at]));
  // Whose last decline was for authentication: those contracts wait for the customer, not for retries.
  const lastFailures = await tx
    .selectDistinctOn([paymentAttempts.invoiceId], { invoiceId: paymentAttempts.invoiceId, failureCode: paymentAttempts.failureCode })
    .from(paymentAttempts)
    .where(and(inList(paymentAttempts.invoiceId, invoiceIds), eq(paymentAttempts.status, "failed")))
    .orderBy(paymentAttempts.invoiceId, desc(paymentAttempts.attemptNumber));
  const awaitingAuthentication = new Set(lastFailures.filter((f) => f.failureCode === AUTHENTICATION_REQUIRED).map((f) => f.invoiceId));
  const actions = await collectionActionsOf(tx, invoiceIds);
  const replans: ContractReplan[] = [];
  for (const contract of contracts) {
    const invoiceId = contract.sub.overdueInvoiceId!;
    const mine = actions.filter((a) => a.invoiceId === invoiceId);
    const course: OverdueCourse = {
      invoiceId,
      firstFailureAt: firstFailureOf.get(invoiceId) ?? contract.sub.unpaidSince ?? contract.now,
      retriesDone: Math.max(0, ...mine.filter((a) => a.kind === "retry" && a.status !== "pending" && a.status !== "canceled" && a.payload.retryNumber).map((a) => a.payload.retryNumber!)),
      pending: mine.filter((a) => a.status === "pending" && !a.payload.manual).map((a) => ({ kind: a.kind, key: a.idempotencyKey, dueAt: a.dueAt, payload: a.payload })),
      ranKeys: new Set(mine.filter((a) => a.status === "done" || a.status === "skipped" || a.status === "failed").map((a) => a.idempotencyKey)),
      awaitingAuthentication: awaitingAuthentication.has(invoiceId),
    };
    const replan = replanOverdue({ ...contractFacts(contract), settings }, course);
    if (replan) replans.push({ contract, replan });
  }
  return replans;
}
