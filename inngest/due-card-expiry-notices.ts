import { and, asc, eq, gt, isNull, lte, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { scheduledActions } from "@/db/schema";
import type { OutboxRow } from "./outbox";

export type Cursor = { dueAt: string; id: string } | null;

/** Pending card-expiry notices due by `now` (not on test clocks), in (due time, id) order after `after`. */
export async function dueCardExpiryNotices(db: Db, now: Date, limit: number, after: Cursor): Promise<OutboxRow[]> {
  const afterCursor = after
    ? or(gt(scheduledActions.dueAt, new Date(after.dueAt)), and(eq(scheduledActions.dueAt, new Date(after.dueAt)), gt(scheduledActions.id, after.id)))
    : undefined;
  const rows = await db
    .select({
      id: scheduledActions.id,
      merchantId: scheduledActions.merchantId,
      subscriptionId: scheduledActions.subscriptionId,
      invoiceId: scheduledActions.invoiceId,
      testClockId: scheduledActions.testClockId,
      kind: scheduledActions.kind,
      outcome: scheduledActions.outcome,
      dueAt: scheduledActions.dueAt,
    })
    .from(scheduledActions)
    .where(
      and(
        eq(scheduledActions.kind, "card_expiry_notice"),
        eq(scheduledActions.status, "pending"),
        isNull(scheduledActions.testClockId),
        lte(scheduledActions.dueAt, now),
        afterCursor,
      ),
    )
    .orderBy(asc(scheduledActions.dueAt), asc(scheduledActions.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, status: "pending" as const, dueAt: r.dueAt.toISOString() }));
}
