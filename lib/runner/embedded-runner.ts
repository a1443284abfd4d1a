import type { Platform } from "@/lib/services/context";
import { finishAbandonedClockAdvances } from "@/lib/services/advance-test-clock";
import { purgeExpired } from "@/lib/services/purge-expired";
import { resolveUnansweredAttempts } from "@/lib/services/resolve-unanswered-attempts";
import { claimDueActions, deferAction } from "@/lib/services/internal/scheduled-actions";
import { runDueActions } from "@/lib/services/run-due-actions";

export type RunnerOptions = {
  platform: Platform;
  batchSize: number;
  /** Gateway calls in flight at once within a batch. */
  concurrency: number;
  leaseSeconds: number;
  onError?: (actionId: string, error: unknown) => void;
};

/** Claims one batch of due actions and runs them (see runDueActions). Returns how many it claimed. */
export async function runDueBatch(options: RunnerOptions): Promise<number> {
  const { platform } = options;
  const ids = await claimDueActions(platform.db, platform.clock.now(), options.batchSize, options.leaseSeconds);
  if (ids.length === 0) return 0;
  const outcomes = await runDueActions(platform, ids, { chargeConcurrency: options.concurrency });
  for (const outcome of outcomes) {
    if (!("error" in outcome)) continue;
    options.onError?.(outcome.actionId, outcome.error);
    await deferAction(platform.db, outcome.actionId, platform.clock.now(), outcome.error.message);
  }
  return ids.length;
}

export type RunningRunner = { stop(): Promise<void> };

const PURGE_EVERY_MS = 60 * 60_000;
const UNANSWERED_EVERY_MS = 60_000;

/**
 * The in-process scheduler: `lanes` loops, each claiming a batch, running it and claiming the next at once while
 * batches come full; a loop that finds less than a full batch waits `intervalMs` (or until stop). Several lanes keep
 * both the database and this process busy: one lane's transaction runs while the other's Node work does. When idle,
 * the first lane also finishes test-clock advances a crash left behind, and once an hour purges expired sessions,
 * tokens and idempotency records (purgeExpired), and once a minute asks the gateways about attempts that got no
 * answer (resolveUnansweredAttempts); the Inngest deployment runs both by cron instead.
 */
export function startEmbeddedRunner(options: RunnerOptions & { intervalMs: number; lanes?: number }): RunningRunner {
  let stopped = false;
  let purgedAt = 0;
  let askedAt = 0;
  const wakers = new Set<() => void>();
  const lane = async (index: number) => {
    while (!stopped) {
      let ran = 0;
      try {
        ran = await runDueBatch(options);
        if (index === 0 && ran < options.batchSize) {
          await finishAbandonedClockAdvances(options.platform);
          // Wall time, not the platform clock: housekeeping follows real hours even where a test clock is frozen.
          if (Date.now() - purgedAt >= PURGE_EVERY_MS) {
            purgedAt = Date.now();
            await purgeExpired(options.platform);
          }
          if (Date.now() - askedAt >= UNANSWERED_EVERY_MS) {
            askedAt = Date.now();
            await resolveUnansweredAttempts(options.platform);
          }
        }
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
  const lanes = Promise.all(Array.from({ length: Math.max(1, options.lanes ?? 1) }, (_, i) => lane(i)));
  return {
    async stop() {
      stopped = true;
      for (const wake of wakers) wake();
      await lanes;
    },
  };
}
