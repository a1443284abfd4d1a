import { fixedClock } from "./context";
import { type BatchOutcome, type RunContext, type RunOutcome, runRound } from "./internal/action-round";
import { type ActionRow, loadActions, nextDueAction } from "./internal/scheduled-actions";

export type { BatchOutcome, RunContext, RunOutcome };

export type RunOptions = {
  /** Gateway calls in flight at once for a batch's charges (the runner passes its own). Default 16. */
  chargeConcurrency?: number;
};

/**
 * Executes one scheduled action, whoever calls it (embedded runner, test clock, Inngest step): it re-checks the
 * contract under lock, does the work once, records the outcome and plans what follows. Running it again, or
 * concurrently, changes nothing more.
 */
export async function runDueAction(runCtx: RunContext, actionId: string): Promise<RunOutcome> {
  const [outcome] = await runDueActions(runCtx, [actionId]);
  if (outcome && "error" in outcome) throw outcome.error;
  return outcome!;
}

/**
 * runDueAction for a batch (the runner's claim): a contract's actions run one after the other in the order given
 * (due order), so the batch runs in rounds that take at most one action per contract; each round's charges are
 * opened in one transaction, sent to the gateway side by side and settled in one transaction.
 */
export async function runDueActions(runCtx: RunContext, actionIds: readonly string[], options: RunOptions = {}): Promise<BatchOutcome[]> {
  if (actionIds.length === 0) return [];
  const byId = new Map((await loadActions(runCtx.db, actionIds)).map((row) => [row.id, row]));
  const outcomes = new Map<string, BatchOutcome>();
  const pending: ActionRow[] = [];
  for (const id of actionIds) {
    const action = byId.get(id);
    if (!action || action.status !== "pending") outcomes.set(id, { actionId: id, outcome: action ? `already_${action.status}` : "not_found" });
    else pending.push(action);
  }
  for (const round of oneActionPerContract(pending)) {
    for (const outcome of await runRound(runCtx, round, options.chargeConcurrency ?? 16)) outcomes.set(outcome.actionId, outcome);
  }
  return actionIds.map((id) => outcomes.get(id)!);
}

/** Rounds in which no contract (or card) appears twice, each contract's actions in the given order. */
function oneActionPerContract(actions: readonly ActionRow[]): ActionRow[][] {
  const rounds: ActionRow[][] = [];
  const seen = new Map<string, number>();
  for (const action of actions) {
    const key = action.subscriptionId ?? action.paymentMethodId ?? action.id;
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    (rounds[round] ??= []).push(action);
  }
  return rounds;
}

/**
 * Runs a scope's pending actions due up to `until` one by one in due order, each at its own due time, as the real
 * scheduler would have: how a test clock advances, and how the demo merchant's history is simulated.
 */
export async function runActionsInDueOrder(
  runCtx: RunContext,
  scope: { merchantId: string; testClockId: string | null },
  until: Date,
  beforeEach?: (dueAt: Date) => Promise<void>,
): Promise<number> {
  let ran = 0;
  for (;;) {
    const next = await nextDueAction(runCtx.db, scope, until);
    if (!next) return ran;
    await beforeEach?.(next.dueAt);
    // runDueAction either completes the action or throws, so this loop always moves on.
    await runDueAction({ ...runCtx, clock: fixedClock(next.dueAt) }, next.id);
    ran++;
  }
}
