import { and, asc, eq, isNull, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { scheduledActions } from "@/db/schema";

/** Pending actions (not on test clocks) due before `before`, oldest first: what a lost or broken run left behind. */
export async function overdueActionIds(db: Db, before: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: scheduledActions.id })
    .from(scheduledActions)
    .where(and(eq(scheduledActions.status, "pending"), isNull(scheduledActions.testClockId), lt(scheduledActions.dueAt, before)))
    .orderBy(asc(scheduledActions.dueAt), asc(scheduledActions.id))
    .limit(limit);
  return rows.map((r) => r.id);
}
