import { and, asc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { inList } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { reusableQuery } from "@/db/reusable-query";
import { invoices, paymentMethods, scheduledActions, subscriptions, usageRecords } from "@/db/schema";
import { localDateOf, startOfLocalDay } from "@/lib/billing/calendar";
import { expiryMonthKey } from "@/lib/billing/card-expiry";
import { addCycles } from "@/lib/billing/cycle";
import { firstPaidPeriod } from "@/lib/billing/first-period";
import { firstInvoiceLines, renewalInvoiceLines } from "@/lib/billing/invoice";
import type { MailTemplate } from "@/lib/billing/mail-template";
import { isLive, nextStatus } from "@/lib/billing/subscription-state";
import type { ChargeResult } from "@/lib/gateways/payment-gateway";
import { queueContractMail } from "@/lib/mail/contract-mail";
import { recordAudit } from "./audit";
import { type Contract, lockContract, lockContracts, type SubscriptionRow } from "./contract";
import { ContractWrites } from "./contract-writes";
import { type ServiceContext, SYSTEM_ACTOR } from "./context";
import { type InvoiceDraft, type InvoiceRow, type IssuedInvoice, issueInvoices, lockInvoices } from "./invoicing";
import { chargeAttempt, openAttempts, type PreparedCharge } from "./payment-attempts";
import { renewalAction } from "./payment-outcome";
import { cancelPendingActions, completeAction } from "./scheduling";
import { settleCharges } from "./settle-charge";

// Built once (see reusableQuery): every action run by itself (test clocks, Inngest) locks its row.
const lockActionById = reusableQuery((db) =>
  db.select().from(scheduledActions).where(eq(scheduledActions.id, sql.placeholder("actionId"))).for("update").prepare("lock_action_by_id"),
);

export type ActionRow = typeof scheduledActions.$inferSelect;
export type RunContext = Omit<ServiceContext, "merchantId" | "actor">;
export type RunOutcome = { actionId: string; outcome: string };
/** One action's end in a batch: its outcome, or the error that left it pending (the runner tries it again later). */
export type BatchOutcome = RunOutcome | { actionId: string; error: Error };

export type RunOptions = {
  /** Gateway calls in flight at once for a batch's charges (the runner passes its own). Default 16. */
  chargeConcurrency?: number;
};

const CHARGE_KINDS: ReadonlySet<string> = new Set(["renewal", "trial_end", "retry"]);
/** Transactions at once when a batch's actions run one by one. */
const ONE_BY_ONE = 8;

/**
 * Executes one scheduled action, whoever calls it (embedded runner, test clock, Inngest step): it re-checks
 * the contract under lock, does the work once, records the outcome and plans what follows. Running it again,
 * or concurrently, changes nothing more.
 */
export async function runDueAction(runCtx: RunContext, actionId: string): Promise<RunOutcome> {
  const [outcome] = await runDueActions(runCtx, [actionId]);
  if (outcome && "error" in outcome) throw outcome.error;
  return outcome!;
}

/**
 * runDueAction for a batch: the charges of a bill run are opened in one transaction, sent to the gateway side by
 * side, and settled in one transaction, so a renewal costs a share of a few statements instead of two transactions
 * of its own. Actions of one contract run one after the other, in the order given (due order): the batch runs in
 * rounds that take at most one action per contract. If a shared transaction fails, its actions are run one by one,
 * so one bad contract cannot hold up the rest.
 */
export async function runDueActions(runCtx: RunContext, actionIds: readonly string[], options: RunOptions = {}): Promise<BatchOutcome[]> {
  if (actionIds.length === 0) return [];
  const rows = await runCtx.db.select().from(scheduledActions).where(inList(scheduledActions.id, actionIds));
  const byId = new Map(rows.map((row) => [row.id, row]));
  const outcomes = new Map<string, BatchOutcome>();
  const pending: ActionRow[] = [];
  for (const id of actionIds) {
    const action = byId.get(id);
    if (!action || action.status !== "pending") outcomes.set(id, { actionId: id, outcome: action ? `already_${action.status}` : "not_found" });
    else pending.push(action);
  }
  for (const round of oneActionPerContract(pending)) {
    const charges = round.filter((a) => CHARGE_KINDS.has(a.kind) && a.subscriptionId !== null);
    for (const outcome of await runChargeRound(runCtx, charges, options.chargeConcurrency ?? 16)) outcomes.set(outcome.actionId, outcome);
    // Notices, withdrawals and cancellations are a transaction each; a few run at once.
    const others = round.filter((a) => !charges.includes(a));
    await inParallel(others, ONE_BY_ONE, async (action) => void outcomes.set(action.id, await captured(action.id, () => runOtherAction(runCtx, action))));
  }
  return actionIds.map((id) => outcomes.get(id)!);
}

async function captured(actionId: string, run: () => Promise<RunOutcome>): Promise<BatchOutcome> {
  try {
    return await run();
  } catch (error) {
    return { actionId, error: error instanceof Error ? error : new Error(String(error)) };
  }
}

function runOtherAction(runCtx: RunContext, action: ActionRow): Promise<RunOutcome> {
  const ctx: ServiceContext = { ...runCtx, merchantId: action.merchantId, actor: SYSTEM_ACTOR };
  return action.kind === "card_expiry_notice" ? runCardExpiryNotice(ctx, action) : runContractAction(ctx, action);
}

/** Rounds in which no contract appears twice, each contract's actions in the given order. */
function oneActionPerContract(actions: readonly ActionRow[]): ActionRow[][] {
  const rounds: ActionRow[][] = [];
  const seen = new Map<string, number>();
  for (const action of actions) {
    const key = action.subscriptionId ?? action.paymentMethodId ?? action.id;
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    (rounds[round] ??= []).push(action);
  }
  return rounds;
}

type Opened = { action: ActionRow; prepared: PreparedCharge };

/** Opens, charges and settles one round; falls back to one action at a time when a shared transaction fails. */
async function runChargeRound(runCtx: RunContext, actions: readonly ActionRow[], concurrency: number): Promise<BatchOutcome[]> {
  if (actions.length === 0) return [];
  let opened: (Opened | RunOutcome)[];
  try {
    opened = await openChargeActions(runCtx, actions);
  } catch (error) {
    if (actions.length === 1) return [{ actionId: actions[0]!.id, error: error instanceof Error ? error : new Error(String(error)) }];
    const alone: BatchOutcome[] = [];
    await inParallel(actions, ONE_BY_ONE, async (action) => void alone.push(...(await runChargeRound(runCtx, [action], concurrency))));
    return alone;
  }
  const outcomes = new Map<string, BatchOutcome>();
  const toCharge: Opened[] = [];
  for (const item of opened) {
    if ("outcome" in item) outcomes.set(item.actionId, item);
    else toCharge.push(item);
  }
  const answered: (Opened & { result: ChargeResult })[] = [];
  await inParallel(toCharge, concurrency, async (item) => {
    try {
      answered.push({ ...item, result: await chargeAttempt(runCtx.gateway, item.prepared) });
    } catch (error) {
      // No answer: the attempt stays in flight and is replayed with its key when the action runs again.
      outcomes.set(item.action.id, { actionId: item.action.id, error: error instanceof Error ? error : new Error(String(error)) });
    }
  });
  for (const outcome of await settleAnswers(runCtx, answered)) outcomes.set(outcome.actionId, outcome);
  return actions.map((a) => outcomes.get(a.id)!);
}

async function settleAnswers(runCtx: RunContext, answered: readonly (Opened & { result: ChargeResult })[]): Promise<BatchOutcome[]> {
  const ctx = { ...runCtx, actor: SYSTEM_ACTOR };
  const toSettle = answered.map(({ action, prepared, result }) => ({ prepared, result, subscriptionId: action.subscriptionId!, actionIds: [action.id] }));
  try {
    const settled = await settleCharges(ctx, toSettle);
    return answered.map(({ action }, i) => ({ actionId: action.id, outcome: settled[i]!.status }));
  } catch (error) {
    if (answered.length <= 1) return answered.map(({ action }) => ({ actionId: action.id, error: error instanceof Error ? error : new Error(String(error)) }));
    const alone: BatchOutcome[] = [];
    await inParallel(answered, ONE_BY_ONE, async ({ action }) => {
      const charge = toSettle.find((c) => c.actionIds[0] === action.id)!;
      alone.push(await captured(action.id, async () => ({ actionId: action.id, outcome: (await settleCharges(ctx, [charge]))[0]!.status })));
    });
    return alone;
  }
}

async function inParallel<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
}

type ChargeDecision = { skip: string; status?: "done" | "skipped" } | { draft: InvoiceDraft } | { renews: true } | { invoiceId: string };

/**
 * The first transaction of a round: locks its contracts and actions, decides for each whether a charge is due,
 * issues the invoices and opens the attempts. Actions with nothing to charge are completed here.
 */
async function openChargeActions(runCtx: RunContext, actions: readonly ActionRow[]): Promise<(Opened | RunOutcome)[]> {
  return runCtx.db.transaction(async (tx) => {
    const contracts = await lockContracts(tx, actions.map((a) => ({ merchantId: a.merchantId, subscriptionId: a.subscriptionId! })), runCtx.clock);
    const locked = await lockPendingActions(tx, actions.map((a) => a.id));
    const writes = new ContractWrites();
    const decided = actions.map((action) => {
      const contract = contracts.get(action.subscriptionId!);
      const current = locked.get(action.id);
      if (!current) return { action, contract, decision: { skip: "already_run" } as ChargeDecision };
      if (!contract) return { action, contract, decision: { skip: "contract_missing", status: "skipped" } as ChargeDecision };
      return { action: current, contract, decision: decideCharge(writes, contract, current) };
    });
    const usage = await unbilledUsage(
      tx,
      decided.flatMap(({ contract, decision }) => ("renews" in decision && contract!.terms.usageRates.length ? [contract!.sub] : [])),
    );
    const drafts = decided.flatMap(({ contract, decision }) => {
      if ("renews" in decision) return [{ contract: contract!, draft: renewalDraft(contract!, usage.get(contract!.sub.id) ?? []) }];
      return "draft" in decision ? [{ contract: contract!, draft: decision.draft }] : [];
    });
    const issued = new Map((await issueInvoices(tx, drafts)).map((i, n) => [drafts[n]!.contract.sub.id, i]));
    await billUsage(tx, contracts, usage, issued);
    const retryInvoices = await lockInvoices(tx, decided.flatMap(({ decision }) => ("invoiceId" in decision ? [decision.invoiceId] : [])));

    const toOpen: { action: ActionRow; invoice: InvoiceRow; fresh: boolean; contract: Contract }[] = [];
    const results = new Map<string, Opened | RunOutcome>();
    for (const { action, contract, decision } of decided) {
      let skip: string | null = null;
      let status: "done" | "skipped" = "skipped";
      if ("skip" in decision) {
        skip = decision.skip;
        status = decision.status ?? (skip === "no_charge_due" ? "done" : "skipped");
      } else if ("invoiceId" in decision) {
        const invoice = retryInvoices.get(decision.invoiceId);
        if (!invoice || invoice.status !== "open") skip = `invoice_${invoice?.status ?? "missing"}`;
        else toOpen.push({ action, invoice, fresh: false, contract: contract! });
      } else {
        const { invoice, created } = issued.get(contract!.sub.id)!;
        toOpen.push({ action, invoice, fresh: created, contract: contract! });
      }
      if (skip !== null) {
        if (skip !== "already_run") writes.completeAction({ actionId: action.id, outcome: skip, at: contract!.now, status });
        results.set(action.id, { actionId: action.id, outcome: skip });
      }
    }
    const prepared = await openAttempts(
      tx,
      toOpen.map(({ action, invoice, fresh, contract }) => ({
        invoice,
        fresh,
        input: { paymentMethodId: contract.sub.paymentMethodId, trigger: action.payload.manual ? ("manual" as const) : ("scheduled" as const), actionId: action.id, at: contract.now },
      })),
    );
    toOpen.forEach(({ action }, i) => results.set(action.id, { action, prepared: prepared[i]! }));
    await writes.flush(tx);
    return actions.map((a) => results.get(a.id)!);
  });
}

async function lockPendingAction(tx: Db, actionId: string): Promise<ActionRow | undefined> {
  return (await lockPendingActions(tx, [actionId])).get(actionId);
}

/** Locks the actions still pending, in id order. */
async function lockPendingActions(tx: Db, actionIds: readonly string[]): Promise<Map<string, ActionRow>> {
  const rows =
    actionIds.length === 1
      ? await lockActionById(tx).execute({ actionId: actionIds[0]! })
      : await tx.select().from(scheduledActions).where(inList(scheduledActions.id, actionIds)).orderBy(asc(scheduledActions.id)).for("update");
  return new Map(rows.filter((row) => row.status === "pending").map((row) => [row.id, row]));
}

function decideCharge(writes: ContractWrites, contract: Contract, action: ActionRow): ChargeDecision {
  const { sub } = contract;
  switch (action.kind) {
    case "renewal":
      if (sub.status !== "active" || sub.cancelAtPeriodEnd) return { skip: `contract_${sub.status}` };
      if (sub.paidThrough?.getTime() !== action.dueAt.getTime()) return { skip: "paid_through_moved" };
      return { renews: true };
    case "trial_end":
      if (sub.status !== "trialing") return { skip: `contract_${sub.status}` };
      if (sub.trialEnd?.getTime() !== action.dueAt.getTime()) return { skip: "trial_end_moved" };
      return convertTrial(writes, contract);
    case "retry":
      if (!action.invoiceId || sub.overdueInvoiceId !== action.invoiceId) return { skip: "not_overdue" };
      return { invoiceId: action.invoiceId };
    default:
      return { skip: "not_a_charge" };
  }
}

type UsageTotal = { metric: string; quantity: number };

/** The invoice for the period that starts at the paid-through date, with the usage recorded before it. */
function renewalDraft(contract: Contract, usage: readonly UsageTotal[]): InvoiceDraft {
  const { sub, terms, plan, product, timeZone } = contract;
  const periodStart = localDateOf(sub.paidThrough!, timeZone);
  const periodEnd = addCycles(periodStart, terms.interval, sub.billingAnchor, 1);
  return {
    kind: "renewal",
    billingKey: `renewal:${sub.id}:${sub.paidThrough!.toISOString()}`,
    lines: renewalInvoiceLines(terms, plan.name ?? product.name, periodStart, periodEnd, usage, sub.joiningFeePending),
    periodStart: sub.paidThrough,
    periodEnd: startOfLocalDay(periodEnd, timeZone),
  };
}

/** Usage recorded before each contract's paid-through date (its renewal) and not billed yet, summed by metric. */
async function unbilledUsage(tx: Db, contracts: readonly SubscriptionRow[]): Promise<Map<string, UsageTotal[]>> {
  const usage = new Map<string, UsageTotal[]>();
  for (const sub of contracts) {
    const totals = await tx
      .select({ metric: usageRecords.metric, quantity: sql<number>`sum(${usageRecords.quantity})::int` })
      .from(usageRecords)
      .where(unbilledBefore(sub))
      .groupBy(usageRecords.metric);
    if (totals.length > 0) usage.set(sub.id, totals);
  }
  return usage;
}

function unbilledBefore(sub: SubscriptionRow) {
  return and(eq(usageRecords.subscriptionId, sub.id), isNull(usageRecords.invoiceId), lt(usageRecords.recordedAt, sub.paidThrough!));
}

/** Usage goes on the invoice just issued; an invoice issued by an earlier, crashed run keeps what it had. */
async function billUsage(tx: Db, contracts: Map<string, Contract>, usage: Map<string, UsageTotal[]>, issued: Map<string, IssuedInvoice>): Promise<void> {
  for (const subscriptionId of usage.keys()) {
    const invoice = issued.get(subscriptionId);
    if (invoice?.created) await tx.update(usageRecords).set({ invoiceId: invoice.invoice.id }).where(unbilledBefore(contracts.get(subscriptionId)!.sub));
  }
}

/** The trial ends: the first paid period starts, and with it the joining fee, in one payment. */
function convertTrial(writes: ContractWrites, contract: Contract): ChargeDecision {
  const { sub, terms, plan, product, timeZone } = contract;
  const start = localDateOf(sub.trialEnd!, timeZone);
  const period = firstPaidPeriod(terms, sub.billingAnchor, start);
  const periodStart = startOfLocalDay(period.periodStart, timeZone);
  const periodEnd = startOfLocalDay(period.periodEnd, timeZone);
  if (period.kind === "free_until_billing_day") {
    writes.updateContract(contract, { status: nextStatus(sub.status, "payment_succeeded"), currentPeriodStart: periodStart, paidThrough: periodEnd });
    writes.schedule(renewalAction(contract, periodEnd));
    return { skip: "no_charge_due" };
  }
  return {
    draft: {
      kind: "first",
      billingKey: `first:${sub.id}`,
      lines: firstInvoiceLines(terms, plan.name ?? product.name, period, sub.joiningFeePending),
      periodStart,
      periodEnd,
    },
  };
}

/** Mails and status changes that need no payment: dunning notices, withdrawal, end-of-period cancel, reminders. */
async function runContractAction(ctx: ServiceContext, action: ActionRow): Promise<RunOutcome> {
  return ctx.db.transaction(async (tx) => {
    const contract = await lockContract(tx, ctx.merchantId, action.subscriptionId!, ctx.clock);
    const locked = await lockPendingAction(tx, action.id);
    if (!locked) return { actionId: action.id, outcome: "already_run" };
    const { sub, now } = contract;
    const overdueMatches = sub.status === "unpaid" && sub.overdueInvoiceId === action.invoiceId;
    let outcome: string;
    switch (action.kind) {
      case "dunning_notice": {
        if (!overdueMatches) {
          outcome = "skipped_not_unpaid";
          break;
        }
        const template = action.payload.template as MailTemplate;
        await queueContractMail(tx, contract, { template, idempotencyKey: `dunning:${action.invoiceId}:${template}`, invoiceId: action.invoiceId! });
        outcome = "mail_queued";
        break;
      }
      case "withdrawal":
        if (!overdueMatches) {
          outcome = "skipped_not_unpaid";
          break;
        }
        await endContract(tx, contract, "withdraw");
        await tx.update(invoices).set({ status: "uncollectible" }).where(eq(invoices.id, action.invoiceId!));
        outcome = "withdrawn";
        break;
      case "period_end_cancel":
        if (!sub.cancelAtPeriodEnd || (sub.status !== "active" && sub.status !== "trialing")) {
          outcome = "skipped_not_canceling";
          break;
        }
        await endContract(tx, contract, "cancel");
        outcome = "canceled";
        break;
      case "trial_reminder":
        if (sub.status !== "trialing") {
          outcome = "skipped_not_trialing";
          break;
        }
        await queueContractMail(tx, contract, { template: "trial_ending", idempotencyKey: `trial_ending:${sub.id}` });
        outcome = "mail_queued";
        break;
      default:
        outcome = "unknown_kind";
    }
    await completeAction(tx, action.id, outcome, now, outcome.startsWith("skipped") ? "skipped" : "done");
    if (!outcome.startsWith("skipped")) await recordAudit(tx, ctx, { action: `subscription.${action.kind}`, targetType: "subscription", targetId: sub.id, data: { outcome, actionId: action.id }, at: now });
    return { actionId: action.id, outcome };
  });
}

async function endContract(tx: Db, contract: Contract, event: "withdraw" | "cancel"): Promise<void> {
  const { sub, now } = contract;
  await cancelPendingActions(tx, sub.id, ["renewal", "trial_end", "trial_reminder", "retry", "dunning_notice", "withdrawal", "period_end_cancel"], `contract_${event}`);
  const status = nextStatus(sub.status, event);
  await tx.update(subscriptions).set({ status, endedAt: now, updatedAt: now, ...(event === "cancel" ? { canceledAt: sub.canceledAt ?? now } : {}) }).where(eq(subscriptions.id, sub.id));
  contract.sub.status = status;
}

/** The 1st of a card's expiry month: one mail per card and month, only while it backs a live contract. */
async function runCardExpiryNotice(ctx: ServiceContext, action: ActionRow): Promise<RunOutcome> {
  return ctx.db.transaction(async (tx) => {
    const locked = await lockPendingAction(tx, action.id);
    if (!locked) return { actionId: action.id, outcome: "already_run" };
    const [card] = await tx.select().from(paymentMethods).where(eq(paymentMethods.id, action.paymentMethodId!));
    const liveContracts = card
      ? await tx
          .select({ id: subscriptions.id, status: subscriptions.status })
          .from(subscriptions)
          .where(and(eq(subscriptions.paymentMethodId, card.id), inArray(subscriptions.status, ["trialing", "active", "past_due", "unpaid", "paused"])))
          .limit(1)
      : [];
    const live = liveContracts.find((c) => isLive(c.status));
    let outcome = "skipped_no_live_contract";
    let at = ctx.clock.now();
    if (card && card.status === "active" && live) {
      const contract = await lockContract(tx, ctx.merchantId, live.id, ctx.clock);
      at = contract.now;
      await queueContractMail(tx, contract, { template: "card_expiring", idempotencyKey: `card_expiry:${card.id}:${expiryMonthKey(card.expMonth, card.expYear)}` });
      await recordAudit(tx, ctx, { action: "payment_method.expiry_notice", targetType: "payment_method", targetId: card.id, at });
      outcome = "mail_queued";
    }
    await completeAction(tx, action.id, outcome, at, outcome === "mail_queued" ? "done" : "skipped");
    return { actionId: action.id, outcome };
  });
}
