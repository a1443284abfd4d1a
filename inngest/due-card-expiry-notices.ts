import { and, asc, eq, gt, isNull, lte, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { scheduledActions } from "@/db/schema";
import { type OutboxRow, outboxColumns, toOutboxRow } from "./outbox";

export type Cursor = { dueAt: string; id: string } | null;

/** Pending card-expiry notices due by `now` (not on test clocks), in (due time, id) order after `after`. */
export async function dueCardExpiryNotices(db: Db, now: Date, limit: number, after: Cursor): Promise<OutboxRow[]> {
  const afterCursor = after
    ? or(gt(scheduledActions.dueAt, new Date(after.dueAt)), and(eq(scheduledActions.dueAt, new Date(after.dueAt)), gt(scheduledActions.id, after.id)))
    : undefined;
  const rows = await db
    .select(outboxColumns)
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
  return rows.map(toOutboxRow);
}
