import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
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
  await tx
    .insert(scheduledActions)
    .values(
      actions.map((a) => ({
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
      })),
    )
    .onConflictDoUpdate({
      target: [scheduledActions.merchantId, scheduledActions.idempotencyKey],
      set: { status: "pending", dueAt: sql`excluded.due_at`, leaseUntil: null, completedAt: null, outcome: null },
      setWhere: sql`${scheduledActions.status} = 'canceled'`,
    });
}

/** Calls off a contract's pending actions of the given kinds (all kinds when none are given). */
export async function cancelPendingActions(tx: Db, subscriptionId: string, kinds?: readonly ActionKind[], reason = "superseded"): Promise<void> {
  await tx
    .update(scheduledActions)
    .set({ status: "canceled", outcome: reason, leaseUntil: null })
    .where(
      and(
        eq(scheduledActions.subscriptionId, subscriptionId),
        eq(scheduledActions.status, "pending"),
        kinds ? inArray(scheduledActions.kind, [...kinds]) : undefined,
      ),
    );
}

export async function completeAction(tx: Db, actionId: string, outcome: string, at: Date, status: "done" | "skipped" = "done"): Promise<void> {
  await tx.update(scheduledActions).set({ status, outcome, completedAt: at, leaseUntil: null, lastError: null }).where(eq(scheduledActions.id, actionId));
}
