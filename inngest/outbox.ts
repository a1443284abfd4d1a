import { and, asc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { scheduledActions } from "@/db/schema";
import type { ActionKind } from "@/lib/billing/scheduled-action";

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

/** The columns an OutboxRow is read from (with toOutboxRow). */
export const outboxColumns = {
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

export function toOutboxRow(row: Omit<OutboxRow, "status" | "dueAt"> & { status: string; dueAt: Date }): OutboxRow {
  return { ...row, status: row.status as OutboxRow["status"], dueAt: row.dueAt.toISOString() };
}

/**
 * Changed rows in due order: every canceled one, and pending ones due before `horizon` (a run sleeps at most
 * until then; later ones wait here, so no flow sleeps longer than Inngest allows).
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
