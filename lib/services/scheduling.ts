import { and, eq, inArray, sql } from "drizzle-orm";
import { bulkInsert, inList } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { reusableQuery, unencodedPlaceholder } from "@/db/reusable-query";
import { scheduledActions } from "@/db/schema";
import type { ActionKind, ActionPayload } from "@/lib/billing/scheduled-action";
import { groupBy } from "@/lib/group-by";
import { newId } from "@/lib/ids";

export type ActionToSchedule = {
  merchantId: string;
  kind: ActionKind;
  dueAt: Date;
  idempotencyKey: string;
  subscriptionId?: string | null;
  invoiceId?: string | null;
  paymentMethodId?: string | null;
  testClockId?: string | null;
  payload?: ActionPayload;
};

/**
 * Plans future effects. The same key is one row: scheduling twice changes nothing, and an action that was
 * canceled comes back to life (with its new time) when planned again; one that ran never does.
 */
export async function scheduleActions(tx: Db, actions: readonly ActionToSchedule[]): Promise<void> {
  if (actions.length === 0) return;
  // One statement must not meet a key twice (ON CONFLICT DO UPDATE refuses that): the last plan for a key wins.
  const rows = [...new Map(actions.map((a) => [`${a.merchantId}\u0000${a.idempotencyKey}`, a])).values()].map(actionRow);
  // dispatched_at = null tells the Inngest dispatcher (inngest/functions/dispatch-scheduled-actions.ts) that the row changed.
  await bulkInsert(tx, scheduledActions, rows, {
    onConflict: sql`on conflict (merchant_id, idempotency_key) do update
      set status = 'pending', due_at = excluded.due_at, lease_until = null, completed_at = null, outcome = null, dispatched_at = null
      where ${scheduledActions.status} = 'canceled'`,
  });
}

function actionRow(a: ActionToSchedule) {
  return {
    id: newId("act"),
    merchantId: a.merchantId,
    kind: a.kind,
    dueAt: a.dueAt,
    idempotencyKey: a.idempotencyKey,
    subscriptionId: a.subscriptionId ?? null,
    invoiceId: a.invoiceId ?? null,
    paymentMethodId: a.paymentMethodId ?? null,
    testClockId: a.testClockId ?? null,
    payload: a.payload ?? {},
  };
}

/** Calls off contracts' pending actions of the given kinds (all kinds when none are given). */
export async function cancelPendingActions(tx: Db, subscriptionIds: string | readonly string[], kinds?: readonly ActionKind[], reason = "superseded"): Promise<void> {
  const ids = typeof subscriptionIds === "string" ? [subscriptionIds] : [...subscriptionIds];
  if (ids.length === 0) return;
  await tx
    .update(scheduledActions)
    .set({ status: "canceled", outcome: reason, leaseUntil: null, dispatchedAt: null })
    .where(
      and(
        inList(scheduledActions.subscriptionId, ids),
        eq(scheduledActions.status, "pending"),
        kinds ? inArray(scheduledActions.kind, [...kinds]) : undefined,
      ),
    );
}

/** Built once (see reusableQuery): every run completes its action. `.set()` takes no plain placeholders. */
const completeActionQuery = reusableQuery((db) =>
  db
    .update(scheduledActions)
    .set({ status: unencodedPlaceholder("status"), outcome: unencodedPlaceholder("outcome"), completedAt: unencodedPlaceholder("at"), leaseUntil: null, lastError: null })
    .where(eq(scheduledActions.id, sql.placeholder("actionId")))
    .prepare("complete_action"),
);

export async function completeAction(tx: Db, actionId: string, outcome: string, at: Date, status: "done" | "skipped" = "done"): Promise<void> {
  await completeActionQuery(tx).execute({ status, outcome, at: at.toISOString(), actionId });
}

export type ActionCompletion = { actionId: string; outcome: string; at: Date; status?: "done" | "skipped" };

/** Completes many actions; those with the same outcome and time share one statement. */
export async function completeActions(tx: Db, completions: readonly ActionCompletion[]): Promise<void> {
  for (const group of groupBy(completions, (c) => `${c.status ?? "done"}\u0000${c.outcome}\u0000${c.at.toISOString()}`)) {
    const { status = "done", outcome, at } = group[0]!;
    if (group.length === 1) await completeAction(tx, group[0]!.actionId, outcome, at, status);
    else
      await tx
        .update(scheduledActions)
        .set({ status, outcome, completedAt: at, leaseUntil: null, lastError: null })
        .where(inList(scheduledActions.id, group.map((c) => c.actionId)));
  }
}
