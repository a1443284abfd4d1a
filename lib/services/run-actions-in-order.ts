import { and, asc, eq, isNull, lte } from "drizzle-orm";
import { scheduledActions } from "@/db/schema";
import { fixedClock } from "./context";
import { type RunContext, runDueAction } from "./run-due-action";

/**
 * Runs a scope's pending actions due up to `until` one by one in due order, each at its own due time, as the
 * real scheduler would have: how a test clock advances, and how the demo merchant's history is simulated.
 */
export async function runActionsInDueOrder(
  runCtx: Pick<RunContext, "db" | "gateway">,
  scope: { merchantId: string; testClockId: string | null },
  until: Date,
  beforeEach?: (dueAt: Date) => Promise<void>,
): Promise<number> {
  let ran = 0;
  for (;;) {
    const [next] = await runCtx.db
      .select({ id: scheduledActions.id, dueAt: scheduledActions.dueAt })
      .from(scheduledActions)
      .where(
        and(
          eq(scheduledActions.merchantId, scope.merchantId),
          scope.testClockId ? eq(scheduledActions.testClockId, scope.testClockId) : isNull(scheduledActions.testClockId),
          eq(scheduledActions.status, "pending"),
          lte(scheduledActions.dueAt, until),
        ),
      )
      .orderBy(asc(scheduledActions.dueAt), asc(scheduledActions.id))
      .limit(1);
    if (!next) return ran;
    await beforeEach?.(next.dueAt);
    // runDueAction either completes the action or throws, so this loop always moves on.
    await runDueAction({ ...runCtx, clock: fixedClock(next.dueAt) }, next.id);
    ran++;
  }
}
