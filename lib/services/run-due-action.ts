import { and, eq, inArray, isNull, lt, sql } from "drizzle-orm";
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
import { queueContractMail } from "@/lib/mail/contract-mail";
import { recordAudit } from "./audit";
import { type Contract, lockContract } from "./contract";
import { type ServiceContext, SYSTEM_ACTOR } from "./context";
import { type InvoiceRow, issueInvoice, lockInvoice } from "./invoicing";
import { chargeAttempt, openAttempt, type PreparedCharge } from "./payment-attempts";
import { scheduleRenewal } from "./payment-outcome";
import { cancelPendingActions, completeAction } from "./scheduling";
import { settleCharge } from "./settle-charge";

export type ActionRow = typeof scheduledActions.$inferSelect;
export type RunContext = Omit<ServiceContext, "merchantId" | "actor">;
export type RunOutcome = { actionId: string; outcome: string };

// Queries of every run, built once (see reusableQuery): a bill run makes them for each of its contracts.
const actionById = reusableQuery((db) =>
  db.select().from(scheduledActions).where(eq(scheduledActions.id, sql.placeholder("actionId"))).prepare("action_by_id"),
);
const lockActionById = reusableQuery((db) =>
  db.select().from(scheduledActions).where(eq(scheduledActions.id, sql.placeholder("actionId"))).for("update").prepare("lock_action_by_id"),
);
const invoiceByBillingKey = reusableQuery((db) =>
  db
    .select()
    .from(invoices)
    .where(and(eq(invoices.merchantId, sql.placeholder("merchantId")), eq(invoices.billingKey, sql.placeholder("billingKey"))))
    .prepare("invoice_by_billing_key"),
);

/**
 * Executes one scheduled action, whoever calls it (embedded runner, test clock, Inngest step): it re-checks
 * the contract under lock, does the work once, records the outcome and plans what follows. Running it again,
 * or concurrently, changes nothing more.
 */
export async function runDueAction(runCtx: RunContext, actionId: string): Promise<RunOutcome> {
  const [action] = await actionById(runCtx.db).execute({ actionId });
  if (!action || action.status !== "pending") return { actionId, outcome: action ? `already_${action.status}` : "not_found" };
  const ctx: ServiceContext = { ...runCtx, merchantId: action.merchantId, actor: SYSTEM_ACTOR };
  switch (action.kind) {
    case "renewal":
    case "trial_end":
    case "retry":
      return runChargeAction(ctx, action);
    case "card_expiry_notice":
      return runCardExpiryNotice(ctx, action);
    default:
      return runContractAction(ctx, action);
  }
}

async function lockPendingAction(tx: Db, actionId: string): Promise<ActionRow | undefined> {
  const [row] = await lockActionById(tx).execute({ actionId });
  return row?.status === "pending" ? row : undefined;
}

type ChargeDecision = { skip: string } | { invoice: InvoiceRow };

async function runChargeAction(ctx: ServiceContext, action: ActionRow): Promise<RunOutcome> {
  const prepared = await ctx.db.transaction(async (tx): Promise<PreparedCharge | RunOutcome> => {
    const contract = await lockContract(tx, ctx.merchantId, action.subscriptionId!, ctx.clock);
    const locked = await lockPendingAction(tx, action.id);
    if (!locked) return { actionId: action.id, outcome: "already_run" };
    const decision = await decideCharge(tx, contract, locked);
    if ("skip" in decision) {
      await completeAction(tx, action.id, decision.skip, contract.now, decision.skip === "no_charge_due" ? "done" : "skipped");
      return { actionId: action.id, outcome: decision.skip };
    }
    return openAttempt(tx, decision.invoice, {
      paymentMethodId: contract.sub.paymentMethodId,
      trigger: locked.payload.manual ? "manual" : "scheduled",
      actionId: action.id,
      at: contract.now,
    });
  });
  if ("outcome" in prepared) return prepared;
  const result = await chargeAttempt(ctx.gateway, prepared);
  const settled = await settleCharge(ctx, prepared, result, { subscriptionId: action.subscriptionId!, actionIds: [action.id] });
  return { actionId: action.id, outcome: settled.status };
}

async function decideCharge(tx: Db, contract: Contract, action: ActionRow): Promise<ChargeDecision> {
  const { sub } = contract;
  switch (action.kind) {
    case "renewal":
      if (sub.status !== "active" || sub.cancelAtPeriodEnd) return { skip: `contract_${sub.status}` };
      if (sub.paidThrough?.getTime() !== action.dueAt.getTime()) return { skip: "paid_through_moved" };
      return { invoice: await issueRenewalInvoice(tx, contract) };
    case "trial_end":
      if (sub.status !== "trialing") return { skip: `contract_${sub.status}` };
      if (sub.trialEnd?.getTime() !== action.dueAt.getTime()) return { skip: "trial_end_moved" };
      return convertTrial(tx, contract);
    case "retry": {
      if (!action.invoiceId || sub.overdueInvoiceId !== action.invoiceId) return { skip: "not_overdue" };
      const invoice = await lockInvoice(tx, contract.sub.merchantId, action.invoiceId);
      if (!invoice || invoice.status !== "open") return { skip: `invoice_${invoice?.status ?? "missing"}` };
      return { invoice };
    }
    default:
      return { skip: "not_a_charge" };
  }
}

/** The invoice for the period that starts at the paid-through date, with usage recorded before it. */
async function issueRenewalInvoice(tx: Db, contract: Contract): Promise<InvoiceRow> {
  const { sub, terms, plan, product, timeZone } = contract;
  const periodStart = localDateOf(sub.paidThrough!, timeZone);
  const periodEnd = addCycles(periodStart, terms.interval, sub.billingAnchor, 1);
  const billingKey = `renewal:${sub.id}:${sub.paidThrough!.toISOString()}`;
  // A run that crashed after issuing the invoice finds it again; usage recorded since belongs to the next one.
  const [issued] = await invoiceByBillingKey(tx).execute({ merchantId: sub.merchantId, billingKey });
  if (issued) return issued;
  const unbilled = and(eq(usageRecords.subscriptionId, sub.id), isNull(usageRecords.invoiceId), lt(usageRecords.recordedAt, sub.paidThrough!));
  const usage = terms.usageRates.length
    ? await tx
        .select({ metric: usageRecords.metric, quantity: sql<number>`sum(${usageRecords.quantity})::int` })
        .from(usageRecords)
        .where(unbilled)
        .groupBy(usageRecords.metric)
    : [];
  const invoice = await issueInvoice(tx, contract, {
    kind: "renewal",
    billingKey,
    lines: renewalInvoiceLines(terms, plan.name ?? product.name, periodStart, periodEnd, usage, sub.joiningFeePending),
    periodStart: sub.paidThrough,
    periodEnd: startOfLocalDay(periodEnd, timeZone),
  });
  if (usage.length) await tx.update(usageRecords).set({ invoiceId: invoice.id }).where(unbilled);
  return invoice;
}

/** The trial ends: the first paid period starts, and with it the joining fee, in one payment. */
async function convertTrial(tx: Db, contract: Contract): Promise<ChargeDecision> {
  const { sub, terms, plan, product, timeZone } = contract;
  const start = localDateOf(sub.trialEnd!, timeZone);
  const period = firstPaidPeriod(terms, sub.billingAnchor, start);
  const periodStart = startOfLocalDay(period.periodStart, timeZone);
  const periodEnd = startOfLocalDay(period.periodEnd, timeZone);
  if (period.kind === "free_until_billing_day") {
    await tx
      .update(subscriptions)
      .set({ status: nextStatus(sub.status, "payment_succeeded"), currentPeriodStart: periodStart, paidThrough: periodEnd, updatedAt: contract.now })
      .where(eq(subscriptions.id, sub.id));
    await scheduleRenewal(tx, contract, periodEnd);
    return { skip: "no_charge_due" };
  }
  const invoice = await issueInvoice(tx, contract, {
    kind: "first",
    billingKey: `first:${sub.id}`,
    lines: firstInvoiceLines(terms, plan.name ?? product.name, period, sub.joiningFeePending),
    periodStart,
    periodEnd,
  });
  return { invoice };
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
