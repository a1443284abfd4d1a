import type { Platform } from "./context";
import { ServiceError } from "./errors";
import { type Work, requestRetries, retryResults, workDecidedItems } from "./internal/bulk-job-work";
import {
  bulkActionOf,
  claimBulkJob,
  completeItems,
  finishIfComplete,
  holdLease,
  type ItemRef,
  type ItemResult,
  jobActor,
  type Lease,
  LeaseLost,
  pendingItems,
  releaseLease,
  renewLease,
  stillPending,
} from "./internal/bulk-jobs";
import { deferAction } from "./internal/scheduled-actions";
import { runDueActions } from "./run-due-actions";

export type BulkRunOptions = {
  /** Contracts per batch (one transaction each). */
  batchSize: number;
  /** How long a claimed job stays claimed without a batch committing. */
  leaseSeconds: number;
  /** Gateway calls in flight at once for a bulk retry now. */
  chargeConcurrency: number;
  /** Stop after this many batches and let the job go (an Inngest step works a slice of a job). Default: no limit. */
  maxBatches?: number;
  /** Unexpected errors of single contracts, for the log. */
  onError?: (jobId: string, subscriptionId: string, error: unknown) => void;
};

/**
 * How a pass over a job ended: finished (every item has its result), waiting (retries it planned are still charging:
 * the job is let go for a few seconds), more (maxBatches reached), or lost (another worker took it over).
 */
export type BulkWorkResult = { jobId: string; state: "finished" | "waiting" | "more" | "lost"; worked: number };

/** A job waiting for charges in flight is looked at again after this long. */
const WAIT_MS = 2_000;

/**
 * The runner's entry: claims jobs nobody works on (new ones, and those whose worker died: their lease lapsed) one
 * after another and works each through. Returns how many contracts it worked.
 */
export async function runBulkJobs(platform: Platform, options: BulkRunOptions): Promise<number> {
  let worked = 0;
  for (;;) {
    const result = await workBulkJob(platform, options);
    if (!result) return worked;
    worked += result.worked;
  }
}

/**
 * Claims one job (this one, or any that nobody works on) and works its items in order, in batches of one transaction
 * each, until it is finished, waits for charges, or reaches maxBatches; null when there was nothing to claim.
 */
export async function workBulkJob(platform: Platform, options: BulkRunOptions & { jobId?: string }): Promise<BulkWorkResult | null> {
  const leaseMs = options.leaseSeconds * 1000;
  const lease = await claimBulkJob(platform.db, platform.clock.now(), leaseMs, options.jobId);
  if (!lease) return null;
  const work: Work = { platform, actor: await jobActor(platform.db, lease.job), job: lease.job, action: bulkActionOf(lease.job) };
  let worked = 0;
  let after = -1;
  try {
    for (let batch = 0; options.maxBatches === undefined || batch < options.maxBatches; batch++) {
      const items = await pendingItems(platform.db, lease.job.id, after, options.batchSize);
      if (items.length === 0) {
        const finished = await inLease(platform, lease, leaseMs, (tx) => finishIfComplete(tx, lease.job.id, platform.clock.now()));
        if (finished) return { jobId: lease.job.id, state: "finished", worked };
        // Every item left has a retry still charging: look again shortly.
        await releaseLease(platform.db, lease, new Date(platform.clock.now().getTime() + WAIT_MS));
        return { jobId: lease.job.id, state: "waiting", worked };
      }
      after = items.at(-1)!.position;
      worked += await workBatch(work, lease, leaseMs, items, options);
    }
    await releaseLease(platform.db, lease, null);
    return { jobId: lease.job.id, state: "more", worked };
  } catch (error) {
    if (error instanceof LeaseLost) return { jobId: lease.job.id, state: "lost", worked };
    // Left as it is, the lease lapses and the job is taken up again.
    throw error;
  }
}

/** One transaction under the job's lease: checked and moved on first (the job's end lets it go). */
async function inLease<T>(platform: Platform, lease: Lease, leaseMs: number, run: (tx: Platform["db"]) => Promise<T>): Promise<T> {
  const until = new Date(platform.clock.now().getTime() + leaseMs);
  const result = await platform.db.transaction(async (tx) => {
    await holdLease(tx, lease);
    await renewLease(tx, lease, until);
    return run(tx);
  });
  lease.until = until;
  return result;
}

/** A batch's items, each result committed with its effect. Returns how many items got their result. */
async function workBatch(work: Work, lease: Lease, leaseMs: number, items: readonly ItemRef[], options: BulkRunOptions): Promise<number> {
  if (work.action.kind === "retry" && work.action.params.at === null) return retryNow(work, lease, leaseMs, items, options);
  return together(work, lease, leaseMs, items, options, async (tx, pending) => workDecidedItems(tx, work, pending));
}

/**
 * A bulk retry now: the retries are planned (and results already known recorded) in one transaction, charged through
 * the runner's batch path (runDueActions: exactly once per action, whoever runs it), then read back. A worker that
 * dies in between leaves planned actions behind; the next pass finds them by the job's mark and does not plan again.
 */
async function retryNow(work: Work, lease: Lease, leaseMs: number, items: readonly ItemRef[], options: BulkRunOptions): Promise<number> {
  const { platform } = work;
  const toRun: string[] = [];
  let worked = await together(work, lease, leaseMs, items, options, async (tx, pending) => {
    const requested = await requestRetries(tx, work, pending);
    toRun.push(...requested.toRun);
    return requested.results;
  });
  if (toRun.length === 0) return worked;
  const outcomes = await runDueActions(platform, toRun, { chargeConcurrency: options.chargeConcurrency });
  for (const outcome of outcomes) {
    // As the runner does: an action whose run failed (no answer from the gateway) is tried again later, by it.
    if ("error" in outcome) await deferAction(platform.db, outcome.actionId, platform.clock.now(), outcome.error.message);
  }
  worked += await inLease(platform, lease, leaseMs, async (tx) => {
    const pending = await stillPending(tx, work.job.id, items);
    const { results } = await retryResults(tx, work.job.id, pending);
    await completeItems(tx, work.job.id, results, platform.clock.now());
    return results.length;
  });
  return worked;
}

/**
 * Works items in one transaction; if it fails, each item alone (a few at a time), so that one contract's unexpected
 * error fails that item only, one by one. An item that fails alone is recorded as failed with the error's code (a ServiceError)
 * or as unexpected (anything else: its message is logged, not shown).
 */
async function together(
  work: Work,
  lease: Lease,
  leaseMs: number,
  items: readonly ItemRef[],
  options: BulkRunOptions,
  run: (tx: Platform["db"], pending: string[]) => Promise<ItemResult[]>,
): Promise<number> {
  const { platform, job } = work;
  const attempt = (some: readonly ItemRef[]) =>
    inLease(platform, lease, leaseMs, async (tx) => {
      const pending = await stillPending(tx, job.id, some);
      const results = pending.length > 0 ? await run(tx, pending) : [];
      await completeItems(tx, job.id, results, platform.clock.now());
      return results.length;
    });
  try {
    return await attempt(items);
  } catch (error) {
    if (error instanceof LeaseLost) throw error;
    if (items.length === 1) {
      const { subscriptionId } = items[0]!;
      options.onError?.(job.id, subscriptionId, error);
      const result: ItemResult =
        error instanceof ServiceError
          ? { subscriptionId, status: "failed", reason: error.details.reason ?? error.code, message: error.message }
          : { subscriptionId, status: "failed", reason: "unexpected", message: null };
      return inLease(platform, lease, leaseMs, async (tx) => {
        const pending = await stillPending(tx, job.id, items);
        await completeItems(tx, job.id, pending.length > 0 ? [result] : [], platform.clock.now());
        return pending.length;
      });
    }
    // One after another: the job's row lock would line them up anyway, and each moves the lease on.
    let worked = 0;
    for (const item of items) worked += await together(work, lease, leaseMs, [item], options, run);
    return worked;
  }
}
