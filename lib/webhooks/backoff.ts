/** Waits after each failed attempt (1st, 2nd, …): 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, then every 12 h. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000] as const;
export const LATER_RETRY_MS = 12 * 3_600_000;
/** A delivery is tried for this long after its first attempt; an endpoint failing this long is disabled. */
export const GIVE_UP_AFTER_MS = 3 * 86_400_000;

/**
 * When to try a delivery again after its `attemptsMade`-th attempt failed at `now`, or null when three days since its
 * first attempt have passed. The last retry is pulled in to the three-day mark, so that a delivery is always tried
 * at the end of its window.
 */
export function nextAttemptAt(firstAttemptAt: Date, attemptsMade: number, now: Date): Date | null {
  const deadline = firstAttemptAt.getTime() + GIVE_UP_AFTER_MS;
  if (now.getTime() >= deadline) return null;
  const wait = RETRY_DELAYS_MS[attemptsMade - 1] ?? LATER_RETRY_MS;
  return new Date(Math.min(now.getTime() + wait, deadline));
}

/** Whether an endpoint failing since `failingSince` has failed long enough to be disabled. */
export function failingTooLong(failingSince: Date | null, now: Date): boolean {
  return failingSince !== null && now.getTime() - failingSince.getTime() >= GIVE_UP_AFTER_MS;
}
