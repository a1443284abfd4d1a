import { and, asc, count, eq, inArray, max, ne } from "drizzle-orm";
import { auditEvents, invoices, paymentAttempts, scheduledActions, subscriptions } from "@/db/schema";
import type { InvoiceKind } from "@/db/schema";
import type { ActionKind } from "@/lib/billing/scheduled-action";
import type { SubscriptionStatus } from "@/lib/billing/subscription-state";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { type PageRequest, pageConditions, toPage } from "./page";

type ReadContext = Pick<ServiceContext, "db" | "merchantId">;
type SubscriptionRow = typeof subscriptions.$inferSelect;
type ActionRow = typeof scheduledActions.$inferSelect;
type AttemptRow = typeof paymentAttempts.$inferSelect;
type AuditRow = typeof auditEvents.$inferSelect;

export type NextAction = { kind: ActionKind; dueAt: Date };

/** A contract as merchants and the API see it: the row, its newest invoice and what happens to it next. */
export type SubscriptionView = SubscriptionRow & { latestInvoiceId: string | null; nextAction: NextAction | null };

async function subscriptionRow(ctx: ReadContext, id: string): Promise<SubscriptionRow> {
  const [row] = await ctx.db.select().from(subscriptions).where(and(eq(subscriptions.id, id), eq(subscriptions.merchantId, ctx.merchantId)));
  if (!row) throw notFound("subscription", id, "id");
  return row;
}

/** Adds the newest invoice and the earliest pending action to a page of contracts, in two queries. */
export async function withDerived(ctx: ReadContext, rows: SubscriptionRow[]): Promise<SubscriptionView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const latest = await ctx.db
    .select({ subscriptionId: invoices.subscriptionId, id: max(invoices.id) })
    .from(invoices)
    .where(and(eq(invoices.merchantId, ctx.merchantId), inArray(invoices.subscriptionId, ids)))
    .groupBy(invoices.subscriptionId);
  const pending = await ctx.db
    .select({ subscriptionId: scheduledActions.subscriptionId, kind: scheduledActions.kind, dueAt: scheduledActions.dueAt })
    .from(scheduledActions)
    .where(and(eq(scheduledActions.merchantId, ctx.merchantId), inArray(scheduledActions.subscriptionId, ids), eq(scheduledActions.status, "pending")))
    .orderBy(asc(scheduledActions.dueAt), asc(scheduledActions.id));
  // Invoice ids are time-ordered (uuid v7), so the greatest is the newest.
  const latestBySub = new Map(latest.map((l) => [l.subscriptionId, l.id]));
  const nextBySub = new Map<string, NextAction>();
  for (const p of pending) if (p.subscriptionId && !nextBySub.has(p.subscriptionId)) nextBySub.set(p.subscriptionId, { kind: p.kind, dueAt: p.dueAt });
  return rows.map((row) => ({ ...row, latestInvoiceId: latestBySub.get(row.id) ?? null, nextAction: nextBySub.get(row.id) ?? null }));
}

export async function getSubscription(ctx: ReadContext, id: string): Promise<SubscriptionView> {
  const [view] = await withDerived(ctx, [await subscriptionRow(ctx, id)]);
  return view!;
}

export async function listSubscriptions(
  ctx: ReadContext,
  request: PageRequest & { status?: SubscriptionStatus | null; customerId?: string | null; planId?: string | null },
) {
  const page = pageConditions(subscriptions.id, request);
  const rows = await ctx.db
    .select()
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.merchantId, ctx.merchantId),
        request.status ? eq(subscriptions.status, request.status) : undefined,
        request.customerId ? eq(subscriptions.customerId, request.customerId) : undefined,
        request.planId ? eq(subscriptions.planId, request.planId) : undefined,
        page.cursor,
      ),
    )
    .orderBy(page.order)
    .limit(page.take);
  const result = toPage(rows, request);
  return { rows: await withDerived(ctx, result.rows), hasMore: result.hasMore };
}

// ---------------------------------------------------------------------------------------------------------
// Timeline: what happened to a contract and what is planned, in one list. Entries are language-neutral (codes and
// parameters); lib/i18n/timeline.ts words them in the reader's language (the console) or in Japanese (the API).

export type TimelineStatus = "done" | "scheduled" | "canceled";

/** What one line of the timeline is about; every text is a code, every amount and time a value. */
export type TimelineEvent =
  /** A scheduled action: its state and, once it ran or was called off, why (scheduled_actions.outcome). */
  | { type: "action"; action: ActionKind; state: ActionRow["status"]; retryNumber: number | null; manual: boolean; template: string | null; outcome: string | null }
  /** A payment attempt: what it collected for, how much, and how it ended. */
  | { type: "payment"; charge: TimelineCharge; amount: number; currency: string; result: AttemptRow["status"]; failureCode: string | null }
  /** A verb done to the contract (an audit event), with what the reader needs to know of it. */
  | TimelineVerb;

/** What a payment attempt collected for: a period's first charge, a renewal, a scheduled retry, or its trigger. */
export type TimelineCharge = "first" | "renewal" | "retry" | Exclude<AttemptRow["trigger"], "scheduled">;

export type TimelineVerb =
  | { type: "verb"; verb: "created" | "resume_requested" | "retry_requested" | "unpaused" | "plan_change_withdrawn" | "replanned" }
  | { type: "verb"; verb: "canceled"; atPeriodEnd: boolean; reason: string | null }
  | { type: "verb"; verb: "resumed"; undoCancel: boolean }
  | { type: "verb"; verb: "retry_scheduled"; at: Date | null }
  | { type: "verb"; verb: "paused"; resumeAt: Date | null }
  | { type: "verb"; verb: "plan_changed"; atPeriodEnd: boolean }
  | { type: "verb"; verb: "payment_method_updated"; brand: string; last4: string }
  /** An audit action the timeline has no words for: shown by its name. */
  | { type: "verb"; verb: "other"; action: string };

/** `kind` names the entry for machines (the API's field): an action kind, "payment", or the verb. */
export type TimelineEntry = { kind: string; status: TimelineStatus; at: Date; event: TimelineEvent };

function actionEntry(action: ActionRow): TimelineEntry {
  const event: TimelineEvent = {
    type: "action",
    action: action.kind,
    state: action.status,
    retryNumber: action.payload.retryNumber ?? null,
    manual: action.payload.manual === true,
    template: action.payload.template ?? null,
    outcome: action.outcome,
  };
  const status: TimelineStatus = action.status === "pending" ? "scheduled" : action.status === "canceled" ? "canceled" : "done";
  const at = action.status === "pending" || action.status === "canceled" ? action.dueAt : (action.completedAt ?? action.dueAt);
  return { kind: action.kind, status, at, event };
}

/** What an attempt collected for: a scheduled one is its invoice's first charge, a renewal, or a retry of either. */
export function attemptCharge(attempt: Pick<AttemptRow, "trigger" | "attemptNumber">, invoiceKind: InvoiceKind): TimelineCharge {
  if (attempt.trigger !== "scheduled") return attempt.trigger;
  return attempt.attemptNumber > 1 ? "retry" : invoiceKind === "first" ? "first" : "renewal";
}

function paymentEntry(attempt: AttemptRow, invoiceKind: InvoiceKind): TimelineEntry {
  const charge = attemptCharge(attempt, invoiceKind);
  return {
    kind: "payment",
    status: "done",
    at: attempt.attemptedAt,
    event: { type: "payment", charge, amount: attempt.amount, currency: attempt.currency, result: attempt.status, failureCode: attempt.failureCode },
  };
}

const dateOf = (value: unknown): Date | null => (typeof value === "string" ? new Date(value) : null);
const textOf = (value: unknown): string => (typeof value === "string" ? value : "");

function auditEntry(event: AuditRow): TimelineEntry | null {
  const data = event.data;
  const entry = (verb: TimelineVerb): TimelineEntry => ({ kind: verb.verb === "other" ? event.action.replace(/^subscription\./, "") : verb.verb, status: "done", at: event.occurredAt, event: verb });
  switch (event.action) {
    case "subscription.created":
      return entry({ type: "verb", verb: "created" });
    case "subscription.canceled":
      return entry({ type: "verb", verb: "canceled", atPeriodEnd: data.atPeriodEnd === true, reason: textOf(data.reason) || null });
    case "subscription.resumed":
      return entry({ type: "verb", verb: "resumed", undoCancel: data.undo === "cancel_at_period_end" });
    case "subscription.resume_requested":
      return entry({ type: "verb", verb: "resume_requested" });
    case "subscription.retry_scheduled":
      return entry({ type: "verb", verb: "retry_scheduled", at: dateOf(data.at) });
    case "subscription.retry_requested":
      return entry({ type: "verb", verb: "retry_requested" });
    case "subscription.paused":
      return entry({ type: "verb", verb: "paused", resumeAt: dateOf(data.resumeAt) });
    case "subscription.unpaused":
      return entry({ type: "verb", verb: "unpaused" });
    case "subscription.plan_changed":
      return entry({ type: "verb", verb: "plan_changed", atPeriodEnd: data.when === "period_end" });
    case "subscription.plan_change_withdrawn":
      return entry({ type: "verb", verb: "plan_change_withdrawn" });
    case "subscription.payment_method_updated":
      return entry({ type: "verb", verb: "payment_method_updated", brand: textOf(data.brand), last4: textOf(data.last4) });
    case "subscription.replanned":
      return entry({ type: "verb", verb: "replanned" });
    default:
      // Actions that ran already appear as their scheduled action; usage is billed on invoices, not listed here.
      if (typeof data.actionId === "string" || event.action === "usage.recorded") return null;
      return entry({ type: "verb", verb: "other", action: event.action });
  }
}

/** The time-ordered part of a prefixed uuid v7 id: ties in time fall back to the order things were written. */
const writeOrder = (id: string) => id.slice(id.indexOf("_") + 1);

/**
 * Everything a contract went through and everything planned for it, oldest first: scheduled actions (pending
 * ones as "scheduled", called-off ones as "canceled"), payment attempts and the verbs done to it.
 */
export async function subscriptionTimeline(ctx: ReadContext, id: string): Promise<TimelineEntry[]> {
  const sub = await subscriptionRow(ctx, id);
  const actions = await ctx.db
    .select()
    .from(scheduledActions)
    .where(and(eq(scheduledActions.merchantId, ctx.merchantId), eq(scheduledActions.subscriptionId, sub.id)));
  const attempts = await ctx.db
    .select({ attempt: paymentAttempts, invoiceKind: invoices.kind })
    .from(paymentAttempts)
    .innerJoin(invoices, eq(invoices.id, paymentAttempts.invoiceId))
    .where(and(eq(invoices.merchantId, ctx.merchantId), eq(invoices.subscriptionId, sub.id)));
  const events = await ctx.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.merchantId, ctx.merchantId), eq(auditEvents.targetId, sub.id), eq(auditEvents.targetType, "subscription"), ne(auditEvents.action, "usage.recorded")));

  const entries: { entry: TimelineEntry; order: string }[] = [
    ...actions.map((a) => ({ entry: actionEntry(a), order: writeOrder(a.id) })),
    ...attempts.map((a) => ({ entry: paymentEntry(a.attempt, a.invoiceKind), order: writeOrder(a.attempt.id) })),
    ...events.flatMap((e) => {
      const entry = auditEntry(e);
      return entry ? [{ entry, order: writeOrder(e.id) }] : [];
    }),
  ];
  entries.sort((a, b) => a.entry.at.getTime() - b.entry.at.getTime() || (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
  return entries.map((e) => e.entry);
}

/** How many of the merchant's contracts are in each status (statuses with none are absent). */
export async function subscriptionCountsByStatus(ctx: ReadContext): Promise<Partial<Record<SubscriptionStatus, number>>> {
  const rows = await ctx.db
    .select({ status: subscriptions.status, n: count() })
    .from(subscriptions)
    .where(eq(subscriptions.merchantId, ctx.merchantId))
    .groupBy(subscriptions.status);
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}
