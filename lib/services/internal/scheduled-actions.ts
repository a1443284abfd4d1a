import { and, asc, eq, gt, inArray, isNotNull, isNull, lt, lte, not, or, sql, type SQL } from "drizzle-orm";
import { bulkInsert, bulkUpdate, inList, rowsOf } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { scheduledActions, subscriptions } from "@/db/schema";
import { type ActionKind, type ActionPayload, type CancelReason, COLLECTION_KINDS } from "@/lib/billing/scheduled-action";
import { groupBy } from "@/lib/group-by";
import { newId } from "@/lib/ids";

/**
 * The one owner of the scheduled_actions table's life: planning, calling off, claiming, completing and deferring
 * actions, the queries for what is due, and the Inngest outbox (a row whose dispatched_at is null has changed since
 * Inngest last heard of it). Nothing else writes this table.
 *
 * It also keeps each contract's next action (subscriptions.next_action_kind / next_action_at: its earliest pending
 * action by due time, then id), which the console filters and sorts a million contracts by: every write below that
 * can change which action is pending brings the contracts it touched up to date in the same transaction.
 */

export type ActionRow = typeof scheduledActions.$inferSelect;

export type ActionToPlan = {
  merchantId: string;
  kind: ActionKind;
  dueAt: Date;
  /** The idempotency key: the same future effect is one row. */
  key: string;
  subscriptionId?: string | null;
  invoiceId?: string | null;
  paymentMethodId?: string | null;
  testClockId?: string | null;
  payload?: ActionPayload;
};

/** Changes to the schedule made together (a writer's flush): the next actions are brought up to date once, at the end. */
export type ScheduleChanges = { completions?: readonly ActionCompletion[]; callOffs?: readonly CallOff[]; plans?: readonly ActionToPlan[] };

/** A contract row whose writer is about to write it anyway (the contract writer's in-memory rows). */
export type NextActionHolder = { nextActionKind: ActionKind | null; nextActionAt: Date | null };

/**
 * Completes, then calls off, then plans (so that a plan may revive an action with the same key), then sets the
 * touched contracts' next action. A contract whose row the caller is about to write anyway (`held`, by id) gets its
 * next action set on that row instead, and its id returned, so that the caller writes it with its other columns: a
 * bill run then updates each renewed contract once, not twice (every update of a contract costs a row version and an
 * entry in each of its indexes). The others are written here.
 */
export async function writeSchedule(tx: Db, changes: ScheduleChanges, held: ReadonlyMap<string, NextActionHolder> = new Map()): Promise<string[]> {
  const completions = changes.completions ?? [];
  const callOffs = changes.callOffs ?? [];
  const plans = changes.plans ?? [];
  await writeCompletions(tx, completions);
  await writeCallOffs(tx, callOffs);
  await writePlans(tx, plans);
  const touched = new Set<string>();
  for (const c of callOffs) touched.add(c.subscriptionId);
  for (const a of plans) if (a.subscriptionId) touched.add(a.subscriptionId);
  for (const c of completions) if (c.subscriptionId) touched.add(c.subscriptionId);
  const completed = completions.filter((c) => c.subscriptionId === undefined).map((c) => c.actionId);
  if (completed.length > 0) {
    const owners = await tx
      .selectDistinct({ id: scheduledActions.subscriptionId })
      .from(scheduledActions)
      .where(and(inList(scheduledActions.id, completed), isNotNull(scheduledActions.subscriptionId)));
    for (const o of owners) touched.add(o.id!);
  }
  const carried = [...touched].filter((id) => held.has(id));
  await updateNextActions(
    tx,
    [...touched].filter((id) => !held.has(id)),
  );
  const changed: string[] = [];
  for (const next of await nextActionsOf(tx, carried)) {
    const row = held.get(next.id)!;
    if (row.nextActionKind === next.kind && row.nextActionAt?.getTime() === next.dueAt?.getTime()) continue;
    row.nextActionKind = next.kind;
    row.nextActionAt = next.dueAt;
    changed.push(next.id);
  }
  return changed;
}

/** The earliest pending action (by due time, then id) of these contracts: subscriptions.next_action_*'s rule. */
const earliestPending = (ids: readonly string[]) => sql`
  select c.id, a.kind, a.due_at
  from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) as c(id)
  left join lateral (
    select kind, due_at from ${scheduledActions} p
    where p.subscription_id = c.id and p.status = 'pending'
    order by p.due_at, p.id limit 1
  ) a on true`;

async function nextActionsOf(tx: Db, ids: readonly string[]): Promise<{ id: string; kind: ActionKind | null; dueAt: Date | null }[]> {
  if (ids.length === 0) return [];
  const rows = rowsOf<{ id: string; kind: ActionKind | null; due_at: string | Date | null }>(await tx.execute(earliestPending(ids)));
  return rows.map((r) => ({ id: r.id, kind: r.kind, dueAt: r.due_at === null ? null : new Date(r.due_at) }));
}

/** Sets these contracts' next action from their pending actions, writing only those whose next action changed. */
async function updateNextActions(tx: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.execute(sql`
    update ${subscriptions} s set next_action_kind = n.kind, next_action_at = n.due_at
    from (${earliestPending(ids)}) n
    where s.id = n.id and (s.next_action_kind is distinct from n.kind or s.next_action_at is distinct from n.due_at)`);
}

/**
 * Plans future effects. The same key is one row: planning twice changes nothing, and an action that was called off
 * comes back to life (with its new time) when planned again; one that ran never does.
 */
export async function planActions(tx: Db, actions: readonly ActionToPlan[]): Promise<void> {
  await writeSchedule(tx, { plans: actions });
}

async function writePlans(tx: Db, actions: readonly ActionToPlan[]): Promise<void> {
  if (actions.length === 0) return;
  // One statement must not meet a key twice (ON CONFLICT DO UPDATE refuses that): the last plan for a key wins.
  const rows = [...new Map(actions.map((a) => [`${a.merchantId}\u0000${a.key}`, a])).values()].map((a) => ({
    id: newId("act"),
    merchantId: a.merchantId,
    kind: a.kind,
    dueAt: a.dueAt,
    idempotencyKey: a.key,
    subscriptionId: a.subscriptionId ?? null,
    invoiceId: a.invoiceId ?? null,
    paymentMethodId: a.paymentMethodId ?? null,
    testClockId: a.testClockId ?? null,
    payload: a.payload ?? {},
  }));
  await bulkInsert(tx, scheduledActions, rows, {
    onConflict: sql`on conflict (merchant_id, idempotency_key) do update
      set status = 'pending', due_at = excluded.due_at, payload = excluded.payload, lease_until = null, completed_at = null, outcome = null, dispatched_at = null
      where ${scheduledActions.status} = 'canceled'`,
  });
}

export type CallOff = { subscriptionId: string; kinds: readonly ActionKind[]; reason: CancelReason; keepManualRetries?: boolean; invoiceId?: string };

/** Calls off contracts' pending actions of the given kinds; requests alike share one statement. */
export async function callOffActions(tx: Db, callOffs: readonly CallOff[]): Promise<void> {
  await writeSchedule(tx, { callOffs });
}

async function writeCallOffs(tx: Db, callOffs: readonly CallOff[]): Promise<void> {
  for (const group of groupBy(callOffs, (c) => `${c.reason}\u0000${c.kinds.join(",")}\u0000${c.keepManualRetries ?? false}\u0000${c.invoiceId ?? ""}`)) {
    const { kinds, reason, keepManualRetries, invoiceId } = group[0]!;
    await tx
      .update(scheduledActions)
      .set({ status: "canceled", outcome: reason, leaseUntil: null, dispatchedAt: null })
      .where(
        and(
          inList(scheduledActions.subscriptionId, [...new Set(group.map((c) => c.subscriptionId))]),
          eq(scheduledActions.status, "pending"),
          inArray(scheduledActions.kind, [...kinds]),
          invoiceId ? eq(scheduledActions.invoiceId, invoiceId) : undefined,
          keepManualRetries ? sql`coalesce((${scheduledActions.payload}->>'manual')::boolean, false) = false` : undefined,
        ),
      );
  }
}

/** The pending actions of a merchant with these keys that are due by `until`. */
export async function dueActionsByKey(db: Db, merchantId: string, keys: readonly string[], until: Date): Promise<ActionRow[]> {
  if (keys.length === 0) return [];
  return db
    .select()
    .from(scheduledActions)
    .where(and(eq(scheduledActions.merchantId, merchantId), inList(scheduledActions.idempotencyKey, keys), eq(scheduledActions.status, "pending"), lte(scheduledActions.dueAt, until)))
    .orderBy(asc(scheduledActions.dueAt));
}

/** Of these keys of a merchant, those whose action is planned and has not run yet. */
export async function pendingActionKeys(db: Db, merchantId: string, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db
    .select({ key: scheduledActions.idempotencyKey })
    .from(scheduledActions)
    .where(and(eq(scheduledActions.merchantId, merchantId), inList(scheduledActions.idempotencyKey, keys), eq(scheduledActions.status, "pending")));
  return new Set(rows.map((r) => r.key));
}

/** The manual retries a bulk job planned for these contracts, in any state (payload.bulkJob names the job). */
export async function bulkJobRetries(db: Db, jobId: string, subscriptionIds: readonly string[]): Promise<ActionRow[]> {
  if (subscriptionIds.length === 0) return [];
  return db
    .select()
    .from(scheduledActions)
    .where(and(inList(scheduledActions.subscriptionId, subscriptionIds), eq(scheduledActions.kind, "retry"), sql`${scheduledActions.payload}->>'bulkJob' = ${jobId}`));
}

export async function loadActions(db: Db, actionIds: readonly string[]): Promise<ActionRow[]> {
  if (actionIds.length === 0) return [];
  return db.select().from(scheduledActions).where(inList(scheduledActions.id, actionIds));
}

/** Locks the actions still pending, in id order (contracts are locked first, then actions: see lockContracts). */
export async function lockPendingActions(tx: Db, actionIds: readonly string[]): Promise<Map<string, ActionRow>> {
  if (actionIds.length === 0) return new Map();
  const rows = await tx.select().from(scheduledActions).where(inList(scheduledActions.id, actionIds)).orderBy(asc(scheduledActions.id)).for("update");
  return new Map(rows.filter((row) => row.status === "pending").map((row) => [row.id, row]));
}

/** How a run ended: done, skipped (nothing to do any more), or failed for good (with the reason as its outcome). */
export type ActionCompletion = {
  actionId: string;
  outcome: string;
  at: Date;
  status: "done" | "skipped" | "failed";
  /** The action's contract (null: none), when the caller knows it; otherwise it is looked up to refresh its next action. */
  subscriptionId?: string | null;
};

/** Completes actions, each with its own outcome and time, in one statement. */
export async function completeActions(tx: Db, completions: readonly ActionCompletion[]): Promise<void> {
  await writeSchedule(tx, { completions });
}

async function writeCompletions(tx: Db, completions: readonly ActionCompletion[]): Promise<void> {
  if (completions.length === 0) return;
  const rows = [...new Map(completions.map((c) => [c.actionId, c])).values()].map((c) => ({
    id: c.actionId,
    status: c.status,
    outcome: c.outcome,
    completedAt: c.at,
    leaseUntil: null,
    lastError: c.status === "failed" ? c.outcome : null,
  }));
  await bulkUpdate(tx, scheduledActions, rows, { key: "id", columns: ["status", "outcome", "completedAt", "leaseUntil", "lastError"] });
}

/** The retries, notices, fallback invoices and withdrawals planned for these invoices, in any state, in due order. */
export async function collectionActionsOf(tx: Db, invoiceIds: readonly string[]): Promise<ActionRow[]> {
  if (invoiceIds.length === 0) return [];
  return tx
    .select()
    .from(scheduledActions)
    .where(and(inList(scheduledActions.invoiceId, invoiceIds), inArray(scheduledActions.kind, [...COLLECTION_KINDS])))
    .orderBy(asc(scheduledActions.dueAt), asc(scheduledActions.id));
}

/** Of these invoices, those that still have an automatic retry planned, besides the actions being completed now. */
export async function invoicesWithAutomaticRetryPending(tx: Db, invoiceIds: readonly string[], completing: readonly string[]): Promise<Set<string>> {
  if (invoiceIds.length === 0) return new Set();
  const rows = await tx
    .selectDistinct({ invoiceId: scheduledActions.invoiceId })
    .from(scheduledActions)
    .where(
      and(
        inList(scheduledActions.invoiceId, invoiceIds),
        inArray(scheduledActions.kind, ["retry", "final_invoice"]),
        eq(scheduledActions.status, "pending"),
        isNull(sql`${scheduledActions.payload}->>'manual'`),
        completing.length > 0 ? not(inList(scheduledActions.id, completing)) : undefined,
      ),
    );
  return new Set(rows.map((row) => row.invoiceId!));
}

// ---------------------------------------------------------------------------------------------------------------
// What is due

/** Pending actions due by `until`, of real time (no test clock) or of one test clock. */
function dueWhere(until: Date, scope: { testClockId: string | null; merchantId?: string }, extra?: SQL): SQL {
  return and(
    eq(scheduledActions.status, "pending"),
    scope.testClockId ? eq(scheduledActions.testClockId, scope.testClockId) : isNull(scheduledActions.testClockId),
    scope.merchantId ? eq(scheduledActions.merchantId, scope.merchantId) : undefined,
    lte(scheduledActions.dueAt, until),
    extra,
  )!;
}

/**
 * Takes a batch of due actions for this runner. SKIP LOCKED lets several runners claim side by side; the lease hands
 * an action to another runner if this one dies before finishing it.
 */
export async function claimDueActions(db: Db, now: Date, limit: number, leaseSeconds: number): Promise<string[]> {
  const due = db
    .select({ id: scheduledActions.id })
    .from(scheduledActions)
    .where(dueWhere(now, { testClockId: null }, or(isNull(scheduledActions.leaseUntil), lt(scheduledActions.leaseUntil, now))))
    .orderBy(asc(scheduledActions.dueAt))
    .limit(limit)
    .for("update", { skipLocked: true });
  const claimed = await db
    .update(scheduledActions)
    .set({ leaseUntil: new Date(now.getTime() + leaseSeconds * 1000), runCount: sql`${scheduledActions.runCount} + 1` })
    .where(inArray(scheduledActions.id, due))
    .returning({ id: scheduledActions.id, dueAt: scheduledActions.dueAt });
  return claimed.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime()).map((c) => c.id);
}

/** After a failed run the action waits longer each time before a runner tries again. */
export async function deferAction(db: Db, actionId: string, now: Date, error: string): Promise<void> {
  await db
    .update(scheduledActions)
    .set({ leaseUntil: sql`${now.toISOString()}::timestamptz + make_interval(secs => least(3600, 5 * power(2, least(${scheduledActions.runCount}, 10))))`, lastError: error.slice(0, 2000) })
    .where(and(eq(scheduledActions.id, actionId), eq(scheduledActions.status, "pending")));
}

/** The next action due by `until` in a test clock's (or the real) timeline of one merchant, in due order. */
export async function nextDueAction(db: Db, scope: { merchantId: string; testClockId: string | null }, until: Date): Promise<{ id: string; dueAt: Date } | undefined> {
  const [next] = await db
    .select({ id: scheduledActions.id, dueAt: scheduledActions.dueAt })
    .from(scheduledActions)
    .where(dueWhere(until, scope))
    .orderBy(asc(scheduledActions.dueAt), asc(scheduledActions.id))
    .limit(1);
  return next;
}

/** Pending actions (not on test clocks) due before `before`, oldest first: what a lost or broken run left behind. */
export async function overdueActionIds(db: Db, before: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: scheduledActions.id })
    .from(scheduledActions)
    .where(dueWhere(new Date(before.getTime() - 1), { testClockId: null }))
    .orderBy(asc(scheduledActions.dueAt), asc(scheduledActions.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

// ---------------------------------------------------------------------------------------------------------------
// The Inngest outbox

/** A scheduled_actions row Inngest has not been told about yet, as a step returns it (JSON: times are ISO strings). */
export type OutboxRow = {
  id: string;
  merchantId: string;
  subscriptionId: string | null;
  invoiceId: string | null;
  testClockId: string | null;
  kind: ActionKind;
  status: "pending" | "canceled";
  outcome: string | null;
  dueAt: string;
};

const outboxColumns = {
  id: scheduledActions.id,
  merchantId: scheduledActions.merchantId,
  subscriptionId: scheduledActions.subscriptionId,
  invoiceId: scheduledActions.invoiceId,
  testClockId: scheduledActions.testClockId,
  kind: scheduledActions.kind,
  status: scheduledActions.status,
  outcome: scheduledActions.outcome,
  dueAt: scheduledActions.dueAt,
};

function toOutboxRow(row: Omit<OutboxRow, "status" | "dueAt"> & { status: string; dueAt: Date }): OutboxRow {
  return { ...row, status: row.status as OutboxRow["status"], dueAt: row.dueAt.toISOString() };
}

export type Cursor = { dueAt: string; id: string } | null;

/** Pending card-expiry notices due by `now` (not on test clocks), in (due time, id) order after `after`. */
export async function dueCardExpiryNotices(db: Db, now: Date, limit: number, after: Cursor): Promise<OutboxRow[]> {
  const afterCursor = after
    ? or(gt(scheduledActions.dueAt, new Date(after.dueAt)), and(eq(scheduledActions.dueAt, new Date(after.dueAt)), gt(scheduledActions.id, after.id)))
    : undefined;
  const rows = await db
    .select(outboxColumns)
    .from(scheduledActions)
    .where(dueWhere(now, { testClockId: null }, and(eq(scheduledActions.kind, "card_expiry_notice"), afterCursor)))
    .orderBy(asc(scheduledActions.dueAt), asc(scheduledActions.id))
    .limit(limit);
  return rows.map(toOutboxRow);
}

/**
 * Changed rows in due order: every canceled one, and pending ones due before `horizon` (a run sleeps at most until
 * then; later ones wait here, so no flow sleeps longer than Inngest allows).
 */
export async function undispatchedActions(db: Db, horizon: Date, limit: number): Promise<OutboxRow[]> {
  const rows = await db
    .select(outboxColumns)
    .from(scheduledActions)
    .where(
      and(
        isNull(scheduledActions.dispatchedAt),
        inArray(scheduledActions.status, ["pending", "canceled"]),
        or(eq(scheduledActions.status, "canceled"), lte(scheduledActions.dueAt, horizon)),
      ),
    )
    .orderBy(asc(scheduledActions.dueAt), asc(scheduledActions.id))
    .limit(limit);
  return rows.map(toOutboxRow);
}

/**
 * Marks rows as told, but only those still as they were read: a row canceled or re-planned in between keeps
 * dispatched_at null and goes out again with the next batch.
 */
export async function markDispatched(db: Db, rows: readonly OutboxRow[], at: Date): Promise<number> {
  if (rows.length === 0) return 0;
  const seen = JSON.stringify(rows.map((r) => ({ id: r.id, status: r.status, due_at: r.dueAt })));
  const marked = await db
    .update(scheduledActions)
    .set({ dispatchedAt: at })
    .where(
      and(
        isNull(scheduledActions.dispatchedAt),
        sql`(${scheduledActions.id}, ${scheduledActions.status}, ${scheduledActions.dueAt}) in (select id, status, due_at from jsonb_to_recordset(${seen}::jsonb) as seen(id text, status text, due_at timestamptz))`,
      ),
    )
    .returning({ id: scheduledActions.id });
  return marked.length;
}
