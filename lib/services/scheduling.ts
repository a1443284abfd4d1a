import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { reusableQuery, unencodedPlaceholder } from "@/db/reusable-query";
import { scheduledActions } from "@/db/schema";
import type { ActionKind, ActionPayload } from "@/lib/billing/scheduled-action";
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
  const rows = actions.map(actionRow);
  if (rows.length === 1) await scheduleOne(tx).execute(rows[0]!);
  else await tx.insert(scheduledActions).values(rows).onConflictDoUpdate(reviveCanceled);
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

const reviveCanceled = {
  target: [scheduledActions.merchantId, scheduledActions.idempotencyKey],
  // dispatchedAt: null tells the Inngest dispatcher (inngest/functions/dispatch-scheduled-actions.ts) that the row changed.
  set: { status: "pending" as const, dueAt: sql`excluded.due_at`, leaseUntil: null, completedAt: null, outcome: null, dispatchedAt: null },
  setWhere: sql`${scheduledActions.status} = 'canceled'`,
};

/** One action, the common case (every renewal plans the next one), built once: see reusableQuery. */
const scheduleOne = reusableQuery((db) =>
  db
    .insert(scheduledActions)
    .values({
      id: sql.placeholder("id"),
      merchantId: sql.placeholder("merchantId"),
      kind: sql.placeholder("kind"),
      dueAt: sql.placeholder("dueAt"),
      idempotencyKey: sql.placeholder("idempotencyKey"),
      subscriptionId: sql.placeholder("subscriptionId"),
      invoiceId: sql.placeholder("invoiceId"),
      paymentMethodId: sql.placeholder("paymentMethodId"),
      testClockId: sql.placeholder("testClockId"),
      payload: sql.placeholder("payload"),
    })
    .onConflictDoUpdate(reviveCanceled)
    .prepare("schedule_action"),
);

/** Calls off a contract's pending actions of the given kinds (all kinds when none are given). */
export async function cancelPendingActions(tx: Db, subscriptionId: string, kinds?: readonly ActionKind[], reason = "superseded"): Promise<void> {
  await tx
    .update(scheduledActions)
    .set({ status: "canceled", outcome: reason, leaseUntil: null, dispatchedAt: null })
    .where(
      and(
        eq(scheduledActions.subscriptionId, subscriptionId),
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
