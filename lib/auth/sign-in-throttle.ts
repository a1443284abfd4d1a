/**
 * How failed sign-ins slow an attacker down, per email and per client address: after a few failures each further
 * attempt must wait longer (backoff), and past a limit the key is locked for a while. A success clears the email's
 * count. Pure: the caller loads the counter and applies what this returns.
 */
export type ThrottleCounter = { failures: number; firstFailedAt: Date; lastFailedAt: Date; lockedUntil: Date | null };

export type ThrottleRule = {
  /** Failures allowed before the backoff starts. */
  freeFailures: number;
  /** The first backoff; it doubles with each further failure. */
  backoffSeconds: number;
  /** Failures after which the key is locked for `lockSeconds`. */
  lockAfter: number;
  lockSeconds: number;
  /** A counter whose last failure is older than this starts again. */
  forgetAfterSeconds: number;
};

/** An address is shared by an office behind one router: it gets more room than one email does. */
export const EMAIL_RULE: ThrottleRule = { freeFailures: 3, backoffSeconds: 2, lockAfter: 10, lockSeconds: 15 * 60, forgetAfterSeconds: 60 * 60 };
export const ADDRESS_RULE: ThrottleRule = { freeFailures: 20, backoffSeconds: 1, lockAfter: 100, lockSeconds: 15 * 60, forgetAfterSeconds: 60 * 60 };

const seconds = (n: number) => n * 1000;

/** The counter as it stands at `now`: forgotten when it is old. */
export function currentCounter(counter: ThrottleCounter | null, rule: ThrottleRule, now: Date): ThrottleCounter | null {
  if (!counter) return null;
  const lockOver = !counter.lockedUntil || counter.lockedUntil <= now;
  if (lockOver && now.getTime() - counter.lastFailedAt.getTime() >= seconds(rule.forgetAfterSeconds)) return null;
  return counter;
}

/** Whether an attempt may be checked at all now; when not, until when it must wait. */
export function attemptAllowed(counter: ThrottleCounter | null, rule: ThrottleRule, now: Date): { allowed: true } | { allowed: false; until: Date } {
  const current = currentCounter(counter, rule, now);
  if (current?.lockedUntil && current.lockedUntil > now) return { allowed: false, until: current.lockedUntil };
  return { allowed: true };
}

/** The counter after one more failure at `now`. */
export function afterFailure(counter: ThrottleCounter | null, rule: ThrottleRule, now: Date): ThrottleCounter {
  const current = currentCounter(counter, rule, now);
  const failures = (current?.failures ?? 0) + 1;
  let lockedUntil: Date | null = null;
  if (failures >= rule.lockAfter) lockedUntil = new Date(now.getTime() + seconds(rule.lockSeconds));
  else if (failures > rule.freeFailures) {
    const backoff = rule.backoffSeconds * 2 ** (failures - rule.freeFailures - 1);
    lockedUntil = new Date(now.getTime() + seconds(Math.min(backoff, rule.lockSeconds)));
  }
  return { failures, firstFailedAt: current?.firstFailedAt ?? now, lastFailedAt: now, lockedUntil };
}
