import type { Platform } from "@/lib/services/context";
import { runBulkJobs } from "@/lib/services/run-bulk-jobs";
import type { RunningRunner } from "./embedded-runner";
import { startPollingLoop } from "./polling-loop";

/** Contracts per bulk-job batch (one transaction): a thousand keeps a 100,000-contract job above 1,000 contracts/s. */
export const BULK_BATCH = 1_000;

export type BulkJobRunnerOptions = {
  platform: Platform;
  batchSize?: number;
  leaseSeconds: number;
  /** Gateway calls in flight at once for a bulk retry now. */
  concurrency: number;
  intervalMs: number;
  onError?: (message: string) => void;
};

/**
 * The in-process worker of bulk jobs, beside the runner of due actions: one loop that takes jobs nobody works on
 * (new ones, those waiting for charges, those whose worker died) and works them through, then waits `intervalMs`.
 * One loop is enough: a job's batches run one after another anyway (its lease), and its retries now charge side by side.
 */
export function startBulkJobRunner(options: BulkJobRunnerOptions): RunningRunner {
  return startPollingLoop({
    intervalMs: options.intervalMs,
    pass: async () => {
      await runBulkJobs(options.platform, {
        batchSize: options.batchSize ?? BULK_BATCH,
        leaseSeconds: options.leaseSeconds,
        chargeConcurrency: options.concurrency,
        onError: (jobId, subscriptionId, error) => options.onError?.(`bulk job ${jobId}: contract ${subscriptionId} failed: ${error instanceof Error ? error.message : String(error)}`),
      });
      // runBulkJobs works every job it can take through to its end: the next pass waits.
      return false;
    },
    onError: (error) => options.onError?.(`bulk jobs: ${error instanceof Error ? error.message : String(error)}`),
  });
}
