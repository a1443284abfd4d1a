import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { scheduledActions } from "@/db/schema";
import type { PaymentGateway } from "@/lib/gateways/payment-gateway";
import type { Clock } from "@/lib/services/context";
import { runDueActions } from "@/lib/services/run-due-action";
import { claimDueActions, deferAction } from "./claim-due-actions";

export type RunnerOptions = {
  db: Db;
  gateway: PaymentGateway;
  clock: Clock;
  batchSize: number;
  /** Gateway calls in flight at once within a batch. */
  concurrency: number;
  leaseSeconds: number;
  onError?: (actionId: string, error: unknown) => void;
};

/** Claims one batch of due actions and runs them (see runDueActions). Returns how many it claimed. */
export async function runDueBatch(options: RunnerOptions): Promise<number> {
  const ids = await claimDueActions(options.db, options.clock.now(), options.batchSize, options.leaseSeconds);
  if (ids.length === 0) return 0;
  const outcomes = await runDueActions({ db: options.db, gateway: options.gateway, clock: options.clock }, ids, { chargeConcurrency: options.concurrency });
  for (const outcome of outcomes) {
    if (!("error" in outcome)) continue;
    options.onError?.(outcome.actionId, outcome.error);
    const [row] = await options.db.select({ runCount: scheduledActions.runCount }).from(scheduledActions).where(eq(scheduledActions.id, outcome.actionId));
    await deferAction(options.db, outcome.actionId, options.clock.now(), row?.runCount ?? 1, outcome.error.message);
  }
  return ids.length;
}

export type RunningRunner = { stop(): Promise<void> };

/**
 * The in-process scheduler: `lanes` loops, each claiming a batch, running it and claiming the next at once while
 * batches come full; a loop that finds less than a full batch waits `intervalMs` (or until stop). Several lanes keep
 * both the database and this process busy: one lane's transaction runs while the other's Node work does.
 */
export function startEmbeddedRunner(options: RunnerOptions & { intervalMs: number; lanes?: number }): RunningRunner {
  let stopped = false;
  const wakers = new Set<() => void>();
  const lane = async () => {
    while (!stopped) {
      let ran = 0;
      try {
        ran = await runDueBatch(options);
      } catch (error) {
        options.onError?.("(claim)", error);
      }
      if (ran < options.batchSize && !stopped) {
        await new Promise<void>((resolve) => {
          wakers.add(resolve);
          setTimeout(() => {
            wakers.delete(resolve);
            resolve();
          }, options.intervalMs);
        });
      }
    }
  };
  const lanes = Promise.all(Array.from({ length: Math.max(1, options.lanes ?? 1) }, lane));
  return {
    async stop() {
      stopped = true;
      for (const wake of wakers) wake();
      await lanes;
    },
  };
}
