import { and, desc, eq } from "drizzle-orm";
import { inList } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { paymentAttempts } from "@/db/schema";
import { type BulkAction, type BulkItemFacts, bulkSkip, BULK_SKIP_REASONS, type BulkSkipReason } from "@/lib/billing/bulk-action";
import { decideCancel } from "@/lib/billing/decisions/cancel";
import { plannedManualRetry, requestedManualRetry } from "@/lib/billing/decisions/manual-retry";
import { isRefusal } from "@/lib/billing/effects";
import { actionKeys } from "@/lib/billing/scheduled-action";
import type { Actor, Platform } from "../context";
import type { BulkJobRow, ItemResult } from "./bulk-jobs";
import { type Contract, contractFacts, lockContracts } from "./contract";
import { ContractWriter } from "./contract-writer";
import type { InvoiceRow } from "./invoicing";
import { owedInvoices } from "./owed-invoice";
import { type ActionRow, bulkJobRetries, pendingActionKeys } from "./scheduled-actions";
import { hasUnbilledUsage } from "./usage";

/**
 * What a bulk job does to a batch of its contracts, in the caller's transaction: the same decisions the one-contract
 * verbs make (decideCancel, the manual retry of what is owed), applied through the one writer, so that a batch of a
 * thousand contracts costs a handful of statements. Each contract ends as done, skipped with a reason, or failed.
 */
export type Work = { platform: Platform; actor: Actor; job: BulkJobRow; action: BulkAction };

const done = (subscriptionId: string, message: string | null = null): ItemResult => ({ subscriptionId, status: "done", reason: null, message });
const skipped = (subscriptionId: string, reason: BulkSkipReason, message: string | null = null): ItemResult => ({ subscriptionId, status: "skipped", reason, message });
const failed = (subscriptionId: string, reason: string, message: string | null = null): ItemResult => ({ subscriptionId, status: "failed", reason, message });

async function lockJobContracts(tx: Db, work: Work, subscriptionIds: readonly string[]): Promise<Map<string, Contract>> {
  return lockContracts(tx, subscriptionIds.map((subscriptionId) => ({ merchantId: work.job.merchantId, subscriptionId })), work.platform.clock);
}

function factsOf(contract: Contract, owed: InvoiceRow | undefined, retryPlanned = false): BulkItemFacts {
  return { status: contract.sub.status, owes: owed !== undefined, cancelAtPeriodEnd: contract.sub.cancelAtPeriodEnd, retryPlanned };
}

/** A skip reason with the contract's status beside it (the page says e.g. "nothing owed (active)"). */
function skipOf(contract: Contract, reason: BulkSkipReason): ItemResult {
  return skipped(contract.sub.id, reason, contract.sub.status);
}

/** A bulk cancel, or a bulk retry planned at a chosen time: every result commits with its effect. */
export async function workDecidedItems(tx: Db, work: Work, subscriptionIds: readonly string[]): Promise<ItemResult[]> {
  const contracts = await lockJobContracts(tx, work, subscriptionIds);
  const writer = new ContractWriter({ actor: work.actor, links: work.platform.links });
  const results = work.action.kind === "cancel" ? await cancelEach(tx, work.action, contracts, writer, subscriptionIds) : await planRetries(tx, work, contracts, writer, subscriptionIds);
  await writer.flush(tx);
  return results;
}

async function cancelEach(tx: Db, action: Extract<BulkAction, { kind: "cancel" }>, contracts: Map<string, Contract>, writer: ContractWriter, ids: readonly string[]): Promise<ItemResult[]> {
  const results: ItemResult[] = [];
  for (const id of ids) {
    const contract = contracts.get(id);
    if (!contract) {
      results.push(failed(id, "not_found"));
      continue;
    }
    const skip = bulkSkip(action, factsOf(contract, undefined));
    if (skip) {
      results.push(skipOf(contract, skip));
      continue;
    }
    // As cancelSubscription asks: only a metered plan can have usage to bill on a final invoice.
    const usage = contract.plan.usageRates.length > 0 && (await hasUnbilledUsage(tx, id, new Date(contract.now.getTime() + 1)));
    const decision = decideCancel(contractFacts(contract), { atPeriodEnd: action.params.atPeriodEnd, reason: action.params.reason, hasUnbilledUsage: usage });
    if (isRefusal(decision)) {
      const { reason, code, message } = decision.refused;
      results.push((BULK_SKIP_REASONS as readonly string[]).includes(reason ?? "") ? skipOf(contract, reason as BulkSkipReason) : failed(id, reason ?? code, message));
      continue;
    }
    writer.apply(contract, decision);
    results.push(done(id));
  }
  return results;
}

/** A manual retry of what each contract owes at the job's time (as retryPayment plans one); one already planned is skipped. */
async function planRetries(tx: Db, work: Work, contracts: Map<string, Contract>, writer: ContractWriter, ids: readonly string[]): Promise<ItemResult[]> {
  const at = (work.action as Extract<BulkAction, { kind: "retry" }>).params.at!;
  const owed = await owedInvoices(tx, [...contracts.values()], writer);
  const planned = await pendingActionKeys(tx, work.job.merchantId, [...owed.values()].map((invoice) => actionKeys.manualRetry(invoice.id, at)));
  const results: ItemResult[] = [];
  for (const id of ids) {
    const contract = contracts.get(id);
    if (!contract) {
      results.push(failed(id, "not_found"));
      continue;
    }
    const invoice = owed.get(id);
    const skip = bulkSkip(work.action, factsOf(contract, invoice, invoice !== undefined && planned.has(actionKeys.manualRetry(invoice.id, at))));
    if (skip || !invoice) {
      results.push(skipOf(contract, skip ?? "nothing_owed"));
      continue;
    }
    writer.apply(contract, plannedManualRetry(invoice.id, at, { bulkJob: work.job.id }));
    results.push(done(id));
  }
  return results;
}

/**
 * A bulk retry now, first step (in the caller's transaction): each contract that owes gets a manual retry due at
 * once, marked with the job; a contract whose retry this job already planned (an earlier pass, or a worker that
 * died) gets its result from that action instead of a second one. Returns the results known now and the actions to
 * run; their contracts' items stay pending until the actions have run (`retryResults`).
 */
export async function requestRetries(tx: Db, work: Work, subscriptionIds: readonly string[]): Promise<{ results: ItemResult[]; toRun: string[] }> {
  const contracts = await lockJobContracts(tx, work, subscriptionIds);
  const writer = new ContractWriter({ actor: work.actor, links: work.platform.links });
  const earlier = await retryResults(tx, work.job.id, subscriptionIds);
  const results: ItemResult[] = [...earlier.results];
  // A retry planned by an earlier pass and never run (its worker died) is run now; one the runner holds or put off
  // after a failed run (a lease ahead) is left to it.
  const now = work.platform.clock.now();
  const toRun = earlier.waiting.filter((a) => !a.leaseUntil || a.leaseUntil < now).map((a) => a.id);
  const known = new Set([...earlier.results.map((r) => r.subscriptionId), ...earlier.waiting.map((a) => a.subscriptionId!)]);
  const fresh = [...contracts.values()].filter((c) => !known.has(c.sub.id));
  const owed = await owedInvoices(tx, fresh, writer);
  const requested: string[] = [];
  for (const id of subscriptionIds) {
    if (known.has(id)) continue;
    const contract = contracts.get(id);
    if (!contract) {
      results.push(failed(id, "not_found"));
      continue;
    }
    const invoice = owed.get(id);
    const skip = bulkSkip(work.action, factsOf(contract, invoice));
    if (skip || !invoice) {
      results.push(skipOf(contract, skip ?? "nothing_owed"));
      continue;
    }
    writer.apply(contract, requestedManualRetry(invoice.id, contract.now, { bulkJob: work.job.id }));
    requested.push(id);
  }
  await writer.flush(tx);
  const planned = new Map((await bulkJobRetries(tx, work.job.id, requested)).map((a) => [a.subscriptionId!, a.id]));
  for (const id of requested) {
    const actionId = planned.get(id);
    // Planning is idempotent by key: the same invoice and instant already had a retry (not this job's), which stands.
    if (actionId) toRun.push(actionId);
    else results.push(skipped(id, "already_scheduled"));
  }
  return { results, toRun };
}

/**
 * The results of the retries a bulk job planned for these contracts: an action that has run gives its item's result
 * (paid: done; declined: failed with the decline code; no longer owed or called off: skipped); one still pending
 * (charging, or waiting for an answer) leaves its item to do.
 */
export async function retryResults(tx: Db, jobId: string, subscriptionIds: readonly string[]): Promise<{ results: ItemResult[]; waiting: ActionRow[] }> {
  const actions = await bulkJobRetries(tx, jobId, subscriptionIds);
  const declines = await declineCodes(tx, actions.filter((a) => a.status === "done" && a.outcome === "failed").map((a) => a.id));
  const results: ItemResult[] = [];
  const waiting: ActionRow[] = [];
  for (const action of actions) {
    const result = resultOf(action, declines.get(action.id) ?? null);
    if (result) results.push(result);
    else waiting.push(action);
  }
  return { results, waiting };
}

function resultOf(action: ActionRow, declineCode: string | null): ItemResult | null {
  const id = action.subscriptionId!;
  switch (action.status) {
    case "pending":
      return null;
    case "canceled":
      return skipped(id, "called_off", action.outcome);
    case "skipped":
      return skipped(id, "nothing_owed", action.outcome);
    case "failed":
      return failed(id, action.outcome ?? "unexpected");
    case "done":
      return action.outcome === "failed" ? failed(id, "payment_declined", declineCode) : done(id, action.outcome);
  }
}

/** The decline code of the latest attempt each action made. */
async function declineCodes(tx: Db, actionIds: readonly string[]): Promise<Map<string, string>> {
  if (actionIds.length === 0) return new Map();
  const rows = await tx
    .select({ actionId: paymentAttempts.actionId, failureCode: paymentAttempts.failureCode })
    .from(paymentAttempts)
    .where(and(inList(paymentAttempts.actionId, actionIds), eq(paymentAttempts.status, "failed")))
    .orderBy(desc(paymentAttempts.attemptedAt), desc(paymentAttempts.attemptNumber));
  const codes = new Map<string, string>();
  for (const row of rows) if (row.actionId && row.failureCode && !codes.has(row.actionId)) codes.set(row.actionId, row.failureCode);
  return codes;
}
