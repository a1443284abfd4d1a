import { and, asc, count, eq, inArray, max, ne } from "drizzle-orm";
import { auditEvents, invoices, merchants, paymentAttempts, scheduledActions, subscriptions } from "@/db/schema";
import type { InvoiceKind } from "@/db/schema";
import { formatMoney } from "@/lib/billing/money";
import { ACTION_LABELS_JA, type ActionKind } from "@/lib/billing/scheduled-action";
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
async function withDerived(ctx: ReadContext, rows: SubscriptionRow[]): Promise<SubscriptionView[]> {
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
// Timeline: what happened to a contract and what is planned, in one list (details in Japanese, as the console).

export type TimelineStatus = "done" | "scheduled" | "canceled";
export type TimelineEntry = { kind: string; status: TimelineStatus; at: Date; detail: string };

const OUTCOME_LABELS_JA: Record<string, string> = {
  paid: "決済成功",
  failed: "決済失敗",
  no_charge_due: "請求なし",
  mail_queued: "メール送信",
  withdrawn: "退会",
  canceled: "解約",
  cancel_at_period_end: "期間終了での解約を予約",
  resumed: "契約を再開",
  contract_withdraw: "退会",
  contract_cancel: "解約",
  superseded: "予定変更",
  unpaused: "停止を解除",
  paused: "一時停止",
  hard_decline: "カードが利用できないため再決済を中止",
  settings_changed: "請求設定の変更により再計画",
  plan_changed: "プラン変更",
  contract_missing: "契約が見つかりません",
  no_usage: "従量分なし",
};

const DUNNING_LABELS_JA: Record<string, string> = {
  unpaid_notice: "未払いのお知らせ",
  final_notice: "最終のお知らせ",
  withdrawal_notice: "退会のお知らせ",
};

const TRIGGER_LABELS_JA: Record<AttemptRow["trigger"], string> = {
  scheduled: "継続課金",
  manual: "手動再決済",
  card_update: "カード更新後の再決済",
  checkout: "申込時の決済",
  additional: "追加請求",
  resume: "再開時の決済",
  plan_change: "プラン変更の日割精算",
};

const localTime = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat("ja-JP", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);

function actionLabel(action: ActionRow): string {
  switch (action.kind) {
    case "retry":
      return action.payload.manual ? "手動再決済" : action.payload.retryNumber ? `再決済（${action.payload.retryNumber}回目）` : "再決済";
    case "dunning_notice":
      return `督促メール：${DUNNING_LABELS_JA[action.payload.template ?? ""] ?? action.payload.template ?? ""}`;
    default:
      return ACTION_LABELS_JA[action.kind];
  }
}

function actionEntry(action: ActionRow): TimelineEntry {
  const label = actionLabel(action);
  const reason = action.outcome ? (OUTCOME_LABELS_JA[action.outcome] ?? action.outcome) : null;
  switch (action.status) {
    case "pending":
      return { kind: action.kind, status: "scheduled", at: action.dueAt, detail: label };
    case "canceled":
      return { kind: action.kind, status: "canceled", at: action.dueAt, detail: `${label}（取りやめ${reason ? `：${reason}` : ""}）` };
    case "skipped":
      return { kind: action.kind, status: "done", at: action.completedAt ?? action.dueAt, detail: `${label}（実行せず${action.outcome ? `：${action.outcome}` : ""}）` };
    case "done":
      return { kind: action.kind, status: "done", at: action.completedAt ?? action.dueAt, detail: reason ? `${label}：${reason}` : label };
    case "failed":
      return { kind: action.kind, status: "done", at: action.completedAt ?? action.dueAt, detail: `${label}（失敗${reason ? `：${reason}` : ""}）` };
  }
}

function paymentEntry(attempt: AttemptRow, invoiceKind: InvoiceKind): TimelineEntry {
  const label =
    attempt.trigger === "scheduled" ? (attempt.attemptNumber > 1 ? "再決済" : invoiceKind === "first" ? "初回課金" : TRIGGER_LABELS_JA.scheduled) : TRIGGER_LABELS_JA[attempt.trigger];
  const amount = formatMoney({ amount: attempt.amount, currency: attempt.currency });
  const result =
    attempt.status === "succeeded"
      ? "成功"
      : attempt.status === "failed"
        ? `失敗（${attempt.failureCode ?? "unknown"}）`
        : attempt.status === "pending"
          ? "処理中"
          : "結果不明";
  return { kind: "payment", status: "done", at: attempt.attemptedAt, detail: `${label} ${amount}：${result}` };
}

function auditEntry(event: AuditRow, timeZone: string): TimelineEntry | null {
  const data = event.data;
  const entry = (kind: string, detail: string): TimelineEntry => ({ kind, status: "done", at: event.occurredAt, detail });
  switch (event.action) {
    case "subscription.created":
      return entry("created", "契約を開始");
    case "subscription.canceled": {
      const reason = typeof data.reason === "string" && data.reason ? `（理由：${data.reason}）` : "";
      return entry("canceled", `${data.atPeriodEnd ? "期間終了時の解約を受付" : "解約（即時）"}${reason}`);
    }
    case "subscription.resumed":
      return entry("resumed", data.undo === "cancel_at_period_end" ? "解約予約を取り消し" : "契約を再開");
    case "subscription.resume_requested":
      return entry("resume_requested", "契約の再開を申請");
    case "subscription.retry_scheduled":
      return entry("retry_scheduled", `手動再決済を予約（${typeof data.at === "string" ? localTime(new Date(data.at), timeZone) : ""}）`);
    case "subscription.retry_requested":
      return entry("retry_requested", "手動再決済を実行");
    case "subscription.paused":
      return entry("paused", typeof data.resumeAt === "string" ? `一時停止（${localTime(new Date(data.resumeAt), timeZone)} に再開予定）` : "一時停止");
    case "subscription.unpaused":
      return entry("unpaused", "停止を解除");
    case "subscription.plan_changed":
      return entry("plan_changed", data.when === "period_end" ? "次回更新時のプラン変更を予約" : "プランを変更");
    case "subscription.plan_change_withdrawn":
      return entry("plan_change_withdrawn", "プラン変更の予約を取り消し");
    case "subscription.payment_method_updated":
      return entry("payment_method_updated", `お支払いカードを変更（${typeof data.brand === "string" ? data.brand : ""} ****${typeof data.last4 === "string" ? data.last4 : ""}）`);
    case "subscription.replanned":
      return entry("replanned", "請求設定の変更により再決済・督促の予定を再計画");
    default:
      // Actions that ran already appear as their scheduled action; usage is billed on invoices, not listed here.
      if (typeof data.actionId === "string" || event.action === "usage.recorded") return null;
      return entry(event.action.replace(/^subscription\./, ""), event.action);
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
  const [merchant] = await ctx.db.select({ timeZone: merchants.timeZone }).from(merchants).where(eq(merchants.id, ctx.merchantId));
  const timeZone = merchant?.timeZone ?? "Asia/Tokyo";
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
      const entry = auditEntry(e, timeZone);
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
