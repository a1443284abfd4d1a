import { setTimeout as sleep } from "node:timers/promises";

export type TokenBucketOptions = {
  /** Tokens added per second. */
  perSecond: number;
  /** Bucket capacity: how many calls may pass at once after an idle spell. Default 1 (evenly spaced). */
  burst?: number;
  /** Milliseconds on a monotonic clock; injectable for tests. */
  now?: () => number;
  wait?: (ms: number) => Promise<unknown>;
};

export type TokenBucket = {
  /** Resolves when the caller may go; callers queue in arrival order, none is rejected. */
  take(): Promise<void>;
};

/**
 * A token bucket in its reservation form (GCRA): each call books the next free slot at once and sleeps until it,
 * so waiting calls keep their order and timer lateness never accumulates into a lower rate.
 */
export function createTokenBucket(options: TokenBucketOptions): TokenBucket {
  const { perSecond } = options;
  const burst = options.burst ?? 1;
  if (!(Number.isFinite(perSecond) && perSecond > 0)) throw new RangeError("perSecond must be a positive number");
  if (!(Number.isInteger(burst) && burst >= 1)) throw new RangeError("burst must be a positive integer");
  const now = options.now ?? (() => performance.now());
  const wait = options.wait ?? ((ms: number) => sleep(ms));
  const interval = 1000 / perSecond;
  /** Theoretical arrival time: when the bucket would be full again if nobody else came. */
  let tat = Number.NEGATIVE_INFINITY;

  return {
    async take() {
      const t = now();
      tat = Math.max(tat, t) + interval;
      const delay = tat - burst * interval - t;
      if (delay > 0) await wait(Math.ceil(delay));
    },
  };
}
