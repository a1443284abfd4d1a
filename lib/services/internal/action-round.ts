import { and, eq, inArray } from "drizzle-orm";
import { inList } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { paymentMethods, subscriptions } from "@/db/schema";
import { expiryMonthKey } from "@/lib/billing/card-expiry";
import { decideDueAction } from "@/lib/billing/decisions/due-action";
import { effects } from "@/lib/billing/effects";
import type { InvoiceDraft } from "@/lib/billing/invoice";
import { mailKeys } from "@/lib/billing/mail-template";
import type { ChargeResult } from "@/lib/gateways/payment-gateway";
import { type Platform, SYSTEM_ACTOR } from "../context";
import { sendScheduledAtobaraiFallback } from "../send-atobarai-fallback";
import { type Contract, contractFacts, lockContracts } from "./contract";
import { ContractWriter } from "./contract-writer";
import { type InvoiceRow, issueInvoices, lockInvoices } from "./invoicing";
import { chargeAttempt, openAttempts, type PreparedCharge } from "./payment-attempts";
import { type ActionRow, lockPendingActions } from "./scheduled-actions";
import { settleCharges, type SettleResult } from "./settlement";
import { billUsage, unbilledUsage, type UsageCut } from "./usage";

export type RunContext = Platform;
export type RunOutcome = { actionId: string; outcome: string; payment?: SettleResult };
/** One action's end in a batch: its outcome, or the error that left it pending (the runner tries it again later). */
export type BatchOutcome = RunOutcome | { actionId: string; error: Error };

/** Transactions at once when a round falls back to one action at a time. */
const ONE_BY_ONE = 8;

type Opened = { actionId: string; action: ActionRow; prepared: PreparedCharge; subscriptionId: string };

/**
 * One round of due actions, at most one per contract: the first transaction locks their contracts and actions, asks
 * the rules about each, applies what needs no payment, issues the invoices and opens the attempts; the charges then
 * go to the gateway side by side; the second transaction settles the answers. When a shared transaction fails, its
 * actions are run again one by one, so one bad contract cannot hold up the rest.
 */
export async function runRound(runCtx: RunContext, actions: readonly ActionRow[], concurrency: number): Promise<BatchOutcome[]> {
  const opened = await together(actions, (a) => a.id, (some) => openRound(runCtx, some));
  const outcomes = new Map<string, BatchOutcome>();
  const toCharge: Opened[] = [];
  for (const item of opened) {
    if ("prepared" in item) toCharge.push(item as Opened);
    else outcomes.set(item.actionId, item);
  }
  const answered: (Opened & { result: ChargeResult })[] = [];
  await inParallel(toCharge, concurrency, async (item) => {
    try {
      answered.push({ ...item, result: await chargeAttempt(runCtx.gateways, item.prepared) });
    } catch (error) {
      // No answer: the attempt stays in flight and is replayed with its key when the action runs again.
      outcomes.set(item.action.id, { actionId: item.action.id, error: asError(error) });
    }
  });
  const settleCtx = { ...runCtx, actor: SYSTEM_ACTOR };
  const settled = await together(
    answered,
    (a) => a.action.id,
    async (some) =>
      (await settleCharges(settleCtx, some.map(({ action, prepared, result, subscriptionId }) => ({ prepared, result, subscriptionId, actionIds: [action.id] })))).map(
        (payment, i): BatchOutcome => ({ actionId: some[i]!.action.id, outcome: payment.status, payment }),
      ),
  );
  for (const outcome of settled) outcomes.set(outcome.actionId, outcome);
  return actions.map((a) => outcomes.get(a.id)!);
}

/** Runs items in one call; if that fails, each alone (a few at a time), so one bad item fails by itself. */
async function together<T, R extends { actionId: string }>(items: readonly T[], idOf: (item: T) => string, run: (some: readonly T[]) => Promise<(R | BatchOutcome)[]>): Promise<(R | BatchOutcome)[]> {
  if (items.length === 0) return [];
  try {
    return await run(items);
  } catch (error) {
    if (items.length === 1) return [{ actionId: idOf(items[0]!), error: asError(error) }];
    const results = new Map<T, R | BatchOutcome>();
    await inParallel(items, ONE_BY_ONE, async (item) => void results.set(item, (await together([item], idOf, run))[0]!));
    return items.map((item) => results.get(item)!);
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

async function inParallel<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
}

type Charge = { action: ActionRow; contract: Contract; what: { draft: InvoiceDraft; usageCut: UsageCut | null } | { invoiceId: string } };

/** The first transaction of a round (see runRound). */
async function openRound(runCtx: RunContext, actions: readonly ActionRow[]): Promise<(Opened | RunOutcome)[]> {
  return runCtx.db.transaction(async (tx) => {
    const cards = await cardsWithLiveContract(tx, actions.filter((a) => a.kind === "card_expiry_notice" && a.paymentMethodId).map((a) => a.paymentMethodId!));
    const refs = [
      ...actions.flatMap((a) => (a.subscriptionId ? [{ merchantId: a.merchantId, subscriptionId: a.subscriptionId }] : [])),
      ...[...cards.values()].flatMap((c) => (c.liveContractId ? [{ merchantId: c.merchantId, subscriptionId: c.liveContractId }] : [])),
    ];
    const contracts = await lockContracts(tx, refs, runCtx.clock);
    const locked = await lockPendingActions(tx, actions.map((a) => a.id));
    const writer = new ContractWriter({ actor: SYSTEM_ACTOR, links: runCtx.links });
    const results = new Map<string, Opened | RunOutcome>();
    const finish = (action: ActionRow, outcome: string, status: "done" | "skipped" | "failed", at: Date) => {
      writer.completeAction({ actionId: action.id, outcome, at, status, subscriptionId: action.subscriptionId });
      results.set(action.id, { actionId: action.id, outcome });
    };

    const usage = await unbilledUsage(tx, usageCuts(actions.filter((a) => locked.has(a.id)), contracts));
    const charges: Charge[] = [];
    for (const action of actions) {
      const current = locked.get(action.id);
      if (!current) {
        results.set(action.id, { actionId: action.id, outcome: "already_run" });
        continue;
      }
      if (current.kind === "card_expiry_notice") {
        const card = current.paymentMethodId ? cards.get(current.paymentMethodId) : undefined;
        const contract = card?.liveContractId ? contracts.get(card.liveContractId) : undefined;
        if (!card || !contract) {
          finish(current, "skipped_no_live_contract", "skipped", runCtx.clock.now());
          continue;
        }
        writer.apply(
          contract,
          effects({
            mails: [{ template: "card_expiring", key: mailKeys.cardExpiring(card.id, expiryMonthKey(card.expMonth, card.expYear)) }],
            audit: [{ action: "payment_method.expiry_notice", target: { type: "payment_method", id: card.id } }],
          }),
        );
        finish(current, "mail_queued", "done", contract.now);
        continue;
      }
      const contract = current.subscriptionId ? contracts.get(current.subscriptionId) : undefined;
      if (!contract) {
        // Deleted, never there, or another merchant's: nothing can run, for good; the action says why.
        finish(current, "contract_missing", "failed", runCtx.clock.now());
        continue;
      }
      const decision = decideDueAction(contractFacts(contract), current, { usage: usage.get(contract.sub.id) ?? [], pendingPlan: contract.pendingPlan });
      if ("skip" in decision) finish(current, decision.skip, decision.status, contract.now);
      else if ("sendFallback" in decision) {
        writer.apply(contract, decision.effects);
        const sent = await sendScheduledAtobaraiFallback(tx, runCtx, contract.sub.merchantId, contract.sub.id);
        finish(current, sent.outcome, sent.status, contract.now);
      } else if ("apply" in decision) {
        writer.apply(contract, decision.apply);
        finish(current, decision.outcome, "done", contract.now);
      } else if ("charge" in decision) {
        charges.push({ action: current, contract, what: { draft: decision.charge, usageCut: usage.has(contract.sub.id) ? usageCutOf(current, contract) : null } });
      } else {
        charges.push({ action: current, contract, what: { invoiceId: decision.collect } });
      }
    }

    const drafts = charges.flatMap((c) => ("draft" in c.what ? [{ charge: c, contract: c.contract, draft: c.what.draft }] : []));
    const issued = await issueInvoices(tx, writer, drafts);
    const invoiceOf = new Map<Charge, { invoice: InvoiceRow; fresh: boolean }>();
    for (const [i, { charge }] of drafts.entries()) {
      const { invoice, created } = issued[i]!;
      invoiceOf.set(charge, { invoice, fresh: created });
      // Usage goes on the invoice just issued; an invoice issued by an earlier, crashed run keeps what it had.
      if (created && "draft" in charge.what && charge.what.usageCut) await billUsage(tx, charge.what.usageCut, invoice.id);
    }
    const retried = await lockInvoices(tx, charges.flatMap((c) => ("invoiceId" in c.what ? [c.what.invoiceId] : [])));
    const toOpen: Charge[] = [];
    for (const charge of charges) {
      if ("invoiceId" in charge.what) {
        const invoice = retried.get(charge.what.invoiceId);
        if (!invoice || invoice.status !== "open") {
          finish(charge.action, `invoice_${invoice?.status ?? "missing"}`, "skipped", charge.contract.now);
          continue;
        }
        invoiceOf.set(charge, { invoice, fresh: false });
      }
      toOpen.push(charge);
    }
    const prepared = await openAttempts(
      tx,
      toOpen.map((charge) => ({
        ...invoiceOf.get(charge)!,
        input: { paymentMethodId: charge.contract.sub.paymentMethodId, trigger: charge.action.payload.manual ? ("manual" as const) : ("scheduled" as const), actionId: charge.action.id, at: charge.contract.now },
      })),
    );
    toOpen.forEach((charge, i) => results.set(charge.action.id, { actionId: charge.action.id, action: charge.action, prepared: prepared[i]!, subscriptionId: charge.contract.sub.id }));
    await writer.flush(tx);
    return actions.map((a) => results.get(a.id)!);
  });
}

const USAGE_KINDS: ReadonlySet<string> = new Set(["renewal", "trial_end", "final_invoice", "period_end_cancel"]);

/** Usage a period's invoice bills: recorded before the new period starts, or (the contract ended) everything left. */
function usageCutOf(action: ActionRow, contract: Contract): UsageCut {
  const endOfUse = action.kind === "renewal" || action.kind === "trial_end" ? action.dueAt : new Date(contract.now.getTime() + 1);
  return { subscriptionId: contract.sub.id, before: endOfUse };
}

function usageCuts(actions: readonly ActionRow[], contracts: Map<string, Contract>): UsageCut[] {
  return actions.flatMap((action) => {
    const contract = action.subscriptionId ? contracts.get(action.subscriptionId) : undefined;
    if (!contract || !USAGE_KINDS.has(action.kind)) return [];
    const priced = contract.plan.usageRates.length > 0 || (contract.pendingPlan?.usageRates.length ?? 0) > 0;
    return priced ? [usageCutOf(action, contract)] : [];
  });
}

type CardFacts = { id: string; merchantId: string; expMonth: number; expYear: number; liveContractId: string | null };

/** Active cards and, for each, a live contract it backs (the one whose customer gets the expiry notice). */
async function cardsWithLiveContract(tx: Db, paymentMethodIds: readonly string[]): Promise<Map<string, CardFacts>> {
  if (paymentMethodIds.length === 0) return new Map();
  const rows = await tx
    .select({ id: paymentMethods.id, merchantId: paymentMethods.merchantId, expMonth: paymentMethods.expMonth, expYear: paymentMethods.expYear, subscriptionId: subscriptions.id })
    .from(paymentMethods)
    .leftJoin(subscriptions, and(eq(subscriptions.paymentMethodId, paymentMethods.id), inArray(subscriptions.status, ["trialing", "active", "past_due", "unpaid", "paused"])))
    .where(and(inList(paymentMethods.id, paymentMethodIds), eq(paymentMethods.status, "active")));
  const cards = new Map<string, CardFacts>();
  for (const row of rows) {
    const seen = cards.get(row.id);
    if (!seen || (!seen.liveContractId && row.subscriptionId)) cards.set(row.id, { id: row.id, merchantId: row.merchantId, expMonth: row.expMonth, expYear: row.expYear, liveContractId: row.subscriptionId });
  }
  return cards;
}
