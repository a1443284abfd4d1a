import { localDateOf, startOfLocalDay } from "./calendar";
import { isCardExpired } from "./card-expiry";
import type { ContractFacts, ContractState, PlanFacts } from "./contract";
import { decideChargeFailed } from "./decisions/charge-failed";
import { type DueAction, decideDueAction } from "./decisions/due-action";
import { decideInvoicePaid } from "./decisions/invoice-paid";
import type { Effects, MailDecision } from "./effects";
import type { InvoiceDraft, InvoiceKind } from "./invoice";
import type { MailTemplate } from "./mail-template";
import type { Money } from "./money";
import type { SubscriptionStatus } from "./subscription-state";
import { invoiceTotals } from "./tax";

/**
 * A contract's next months, told in advance: the contract's real state and schedule are stepped forward through the
 * same decisions the runner asks (decideDueAction, then decideInvoicePaid or decideChargeFailed), each pending action
 * at its due time, with an in-memory stand-in for the one writer (the schedule's keys, the contract's columns, the
 * invoices' statuses). Nothing here is a billing rule of its own: what it adds is only what the services do around
 * the decisions — issuing an invoice once per billing key with its tax, and what the card answers.
 */

/**
 * A scheduled action of the contract, as stored. Those that ran or were called off never run again, but their keys
 * matter: planning a called-off key revives that row, planning one that ran does nothing.
 */
export type FutureAction = DueAction & { key: string; status?: "pending" | "canceled" | "done" };

/** An invoice the schedule refers to (an open one a retry or withdrawal is about), as stored. */
export type FutureInvoice = {
  id: string;
  kind: InvoiceKind;
  status: "draft" | "open" | "paid" | "void" | "uncollectible";
  total: number;
  currency: string;
  planId: string | null;
  periodStart: Date | null;
  periodEnd: Date | null;
  extendPaidThrough: boolean;
  sendMail: boolean;
  hasJoiningFee: boolean;
  creditCarried: number;
  creditApplied: number;
  attemptCount: number;
  tax: number;
  /** It bills a prorated (日割) period. */
  prorated: boolean;
};

export type ContractFutureInput = {
  contract: Omit<ContractFacts, "now">;
  /** Every plan the contract may bill: its own, a pending change's, and those of the invoices it owes. */
  plans: readonly PlanFacts[];
  /** Its pending actions, and (optionally) the others it ever had, for their keys. */
  actions: readonly FutureAction[];
  invoices: readonly FutureInvoice[];
  /** The card on file (its expiry month, UTC, as the card networks count it), or none. */
  card: { expMonth: number; expYear: number } | null;
  from: Date;
  /** The next charge is declined, and the card is never fixed. */
  cardFails: boolean;
  months?: number;
};

export type FutureCharge = {
  type: "charge";
  at: Date;
  /** What the charge is for: a new invoice's kind, or "retry" of an invoice already issued. */
  reason: InvoiceKind | "retry";
  invoiceKind: InvoiceKind;
  amount: Money;
  tax: number;
  attempt: number;
  periodStart: Date | null;
  periodEnd: Date | null;
  planId: string | null;
  planName: string | null;
  /** The invoice carries a joining fee, a prorated (日割) period or credit taken off. */
  joiningFee: boolean;
  prorated: boolean;
  creditApplied: number;
  outcome: "paid" | "declined";
  failureCode: string | null;
};

export type FutureEvent =
  | FutureCharge
  /** A period that starts free (up to the plan's billing day): no invoice. */
  | { type: "free_period"; at: Date; periodEnd: Date }
  | { type: "mail"; at: Date; template: MailTemplate }
  /** The overdue invoice sent as a 後払い (konbini / bank) invoice, if 後払い is on then (the dunning timeline's option). */
  | { type: "fallback_invoice"; at: Date }
  | { type: "status"; at: Date; from: SubscriptionStatus; to: SubscriptionStatus };

export type ContractFuture = {
  from: Date;
  until: Date;
  events: FutureEvent[];
  /** The contract's status when the horizon is reached. */
  finalStatus: SubscriptionStatus;
  /** Usage cannot be foreseen: the plans bill usage, and the amounts shown leave it out. */
  usageExcluded: boolean;
  /** The merchant's dunning never withdraws an unpaid contract. */
  withdrawalDisabled: boolean;
};

/** A contract's actions stop here, whatever happens: a runaway course (a bug) must not hang a page. */
const MAX_STEPS = 2_000;
const DECLINE = "card_declined";

type Row = FutureAction & { status: NonNullable<FutureAction["status"]>; order: number };

export function contractFuture(input: ContractFutureInput): ContractFuture {
  const { contract, from } = input;
  const months = input.months ?? 12;
  const until = startOfLocalDay(localDateOf(from, contract.timeZone).add({ months }), contract.timeZone);
  const plans = new Map(input.plans.map((p) => [p.id, p]));
  const state: ContractState = { ...contract.state };
  const invoices = new Map(input.invoices.map((i) => [i.id, { ...i }]));
  const byBillingKey = new Map<string, FutureInvoice>();
  const rows = new Map<string, Row>();
  let order = 0;
  // Ties in due time run in id order; ids are time-ordered, so actions planned from here on come after.
  for (const a of [...input.actions].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))) {
    rows.set(a.key, { ...a, status: a.status ?? "pending", order: order++ });
  }
  const events: FutureEvent[] = [];
  let seq = 0;

  const planOf = () => plans.get(state.planId) ?? contract.plan;
  const factsAt = (now: Date): ContractFacts => ({ ...contract, state, plan: planOf(), now });

  const apply = (fx: Effects, now: Date) => {
    const before = state.status;
    Object.assign(state, fx.changes);
    for (const off of fx.callOff) {
      for (const row of rows.values()) {
        if (row.status !== "pending" || !off.kinds.includes(row.kind)) continue;
        if (off.invoiceId && row.invoiceId !== off.invoiceId) continue;
        if (off.keepManualRetries && row.payload.manual === true) continue;
        row.status = "canceled";
      }
    }
    for (const p of fx.plan) {
      const existing = rows.get(p.key);
      // The same key is one row: planning it again revives a called-off action (same id, so same place among ties)
      // with its new time, and leaves any other as it is.
      if (existing && existing.status !== "canceled") continue;
      if (existing) Object.assign(existing, { dueAt: p.dueAt, payload: p.payload ?? {}, status: "pending" });
      else rows.set(p.key, { id: `future_${seq++}`, key: p.key, kind: p.kind, dueAt: p.dueAt, invoiceId: p.invoiceId ?? null, payload: p.payload ?? {}, status: "pending", order: order++ });
    }
    for (const change of fx.invoices) {
      const invoice = invoices.get(change.invoiceId);
      if (!invoice || invoice.status !== "open") continue;
      invoice.status = change.status;
      // A written-off invoice gives back the credit it had taken.
      state.creditBalance += invoice.creditApplied;
    }
    for (const mail of fx.mails) if (mail.template !== "charge_failed" && mail.template !== "charge_succeeded") events.push(mailEvent(mail, now));
    if (state.status !== before) events.push({ type: "status", at: now, from: before, to: state.status });
  };

  const issue = (draft: InvoiceDraft): FutureInvoice => {
    const known = byBillingKey.get(draft.billingKey);
    if (known) return known;
    const plan = planOf();
    const totals = invoiceTotals(
      draft.lines.map((l) => ({ amount: l.amount, taxRate: plan.taxRate })),
      plan.taxBehavior,
    );
    const invoice: FutureInvoice = {
      id: `future_in_${seq++}`,
      kind: draft.kind,
      status: "open",
      total: totals.total,
      currency: plan.currency,
      planId: draft.planId,
      periodStart: draft.periodStart,
      periodEnd: draft.periodEnd,
      extendPaidThrough: draft.extendPaidThrough ?? false,
      sendMail: draft.sendMail ?? true,
      hasJoiningFee: draft.lines.some((l) => l.kind === "joining_fee"),
      creditCarried: draft.lines.filter((l) => l.kind === "credit_carried").reduce((s, l) => s + l.amount, 0),
      creditApplied: draft.creditApplied,
      attemptCount: 0,
      tax: totals.tax,
      prorated: draft.lines.some((l) => l.kind === "proration"),
    };
    invoices.set(invoice.id, invoice);
    byBillingKey.set(draft.billingKey, invoice);
    if (draft.creditApplied > 0) state.creditBalance -= draft.creditApplied;
    return invoice;
  };

  /** What the card answers at `now`: a zero invoice needs no card; no card, an expired one or a failing one declines. */
  const answer = (invoice: FutureInvoice, now: Date): string | null => {
    if (invoice.total === 0) return null;
    if (state.paymentMethodId === null || input.card === null) return "no_payment_method";
    if (isCardExpired(input.card.expMonth, input.card.expYear, { year: now.getUTCFullYear(), month: now.getUTCMonth() + 1 })) return "expired_card";
    return input.cardFails ? DECLINE : null;
  };

  const charge = (invoice: FutureInvoice, reason: FutureCharge["reason"], now: Date) => {
    invoice.attemptCount += 1;
    const failureCode = answer(invoice, now);
    const plan = invoice.planId ? (plans.get(invoice.planId) ?? null) : null;
    events.push({
      type: "charge",
      at: now,
      reason,
      invoiceKind: invoice.kind,
      amount: { amount: invoice.total, currency: invoice.currency },
      tax: invoice.tax,
      attempt: invoice.attemptCount,
      periodStart: invoice.periodStart,
      periodEnd: invoice.periodEnd,
      planId: invoice.planId,
      planName: plan?.name ?? null,
      joiningFee: invoice.hasJoiningFee,
      prorated: invoice.prorated,
      creditApplied: invoice.creditApplied,
      outcome: failureCode ? "declined" : "paid",
      failureCode,
    });
    const facts = factsAt(now);
    if (!failureCode) {
      invoice.status = "paid";
      apply(decideInvoicePaid(facts, { ...invoice, plan }), now);
      return;
    }
    const retryPending = [...rows.values()].some((r) => r.status === "pending" && r.invoiceId === invoice.id && (r.kind === "retry" || r.kind === "final_invoice") && r.payload.manual === undefined);
    apply(decideChargeFailed(facts, { invoice, attempt: { id: `future_pa_${seq++}`, number: invoice.attemptCount, failureCode }, automaticRetryPending: retryPending }), now);
  };

  for (let step = 0; step < MAX_STEPS; step++) {
    const next = nextDue(rows, until);
    if (!next) break;
    next.status = "done";
    const now = next.dueAt.getTime() < from.getTime() ? from : next.dueAt;
    const pendingPlan = state.pendingPlanId ? (plans.get(state.pendingPlanId) ?? null) : null;
    const decision = decideDueAction(factsAt(now), next, { usage: [], pendingPlan });
    if ("skip" in decision) continue;
    if ("sendFallback" in decision) {
      apply(decision.effects, now);
      events.push({ type: "fallback_invoice", at: now });
      continue;
    }
    if ("apply" in decision) {
      apply(decision.apply, now);
      if (decision.outcome === "no_charge_due") events.push({ type: "free_period", at: now, periodEnd: state.paidThrough! });
      continue;
    }
    if ("charge" in decision) {
      charge(issue(decision.charge), decision.charge.kind, now);
      continue;
    }
    const owed = invoices.get(decision.collect);
    if (owed?.status === "open") charge(owed, "retry", now);
  }

  const allPlans = [contract.plan, ...input.plans];
  return {
    from,
    until,
    events,
    finalStatus: state.status,
    usageExcluded: allPlans.some((p) => p.usageRates.length > 0),
    withdrawalDisabled: !contract.settings.dunning.withdraw.enabled,
  };
}

function nextDue(rows: Map<string, Row>, until: Date): Row | undefined {
  let best: Row | undefined;
  for (const row of rows.values()) {
    if (row.status !== "pending" || row.dueAt.getTime() > until.getTime()) continue;
    if (!best || row.dueAt.getTime() < best.dueAt.getTime() || (row.dueAt.getTime() === best.dueAt.getTime() && row.order < best.order)) best = row;
  }
  return best;
}

function mailEvent(mail: MailDecision, at: Date): FutureEvent {
  return { type: "mail", at, template: mail.template };
}

/** The charges of a future, for comparing with what was charged. */
export function futureCharges(future: ContractFuture): FutureCharge[] {
  return future.events.filter((e): e is FutureCharge => e.type === "charge");
}
