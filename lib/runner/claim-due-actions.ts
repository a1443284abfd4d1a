import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { scheduledActions } from "@/db/schema";

/**
 * Takes a batch of due actions for this runner. SKIP LOCKED lets several runners claim side by side; the
 * lease hands an action to another runner if this one dies before finishing it.
 */
export async function claimDueActions(db: Db, now: Date, limit: number, leaseSeconds: number): Promise<string[]> {
  const due = db
    .select({ id: scheduledActions.id })
    .from(scheduledActions)
    .where(
      and(
        eq(scheduledActions.status, "pending"),
        isNull(scheduledActions.testClockId),
        lte(scheduledActions.dueAt, now),
        or(isNull(scheduledActions.leaseUntil), lt(scheduledActions.leaseUntil, now)),
      ),
    )
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
export async function deferAction(db: Db, actionId: string, now: Date, runCount: number, error: string): Promise<void> {
  const backoffSeconds = Math.min(3600, 5 * 2 ** Math.min(runCount, 10));
  await db
    .update(scheduledActions)
    .set({ leaseUntil: new Date(now.getTime() + backoffSeconds * 1000), lastError: error.slice(0, 2000) })
    .where(and(eq(scheduledActions.id, actionId), eq(scheduledActions.status, "pending")));
}
