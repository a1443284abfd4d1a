import { loadActions } from "@/lib/services/internal/scheduled-actions";
import { type RunContext, type RunOutcome, runDueAction } from "@/lib/services/run-due-actions";

/**
 * A woken flow runs its action through runDueAction only if the row still says what the event said: pending,
 * due at the time the flow slept until, and not on a test clock (those run when their clock is advanced). A row
 * re-planned to another time has a run of its own for that time (the dispatcher sent it).
 */
export async function runScheduledAction(runCtx: RunContext, planned: { actionId: string; dueAt: string }): Promise<RunOutcome> {
  const { actionId } = planned;
  const [row] = await loadActions(runCtx.db, [actionId]);
  if (!row) return { actionId, outcome: "not_found" };
  if (row.status !== "pending") return { actionId, outcome: `already_${row.status}` };
  if (row.testClockId) return { actionId, outcome: "skipped_test_clock" };
  if (row.dueAt.getTime() !== Date.parse(planned.dueAt)) return { actionId, outcome: "rescheduled" };
  // Woken early (clock skew): throwing lets Inngest retry the step a little later.
  if (row.dueAt.getTime() > runCtx.clock.now().getTime()) throw new Error(`action ${actionId} is not due until ${planned.dueAt}`);
  return runDueAction(runCtx, actionId);
}
