/**
 * Per-key request budget (token bucket, in this process). A caller over budget gets 429 with Retry-After
 * instead of slowing the service down for every other merchant.
 */
export type RateLimiter = { take(key: string, nowMs: number): { allowed: true } | { allowed: false; retryAfterSeconds: number } };

export function createRateLimiter(options: { perSecond: number; burst: number }): RateLimiter {
  const buckets = new Map<string, { tokens: number; updatedMs: number }>();
  return {
    take(key, nowMs) {
      const bucket = buckets.get(key) ?? { tokens: options.burst, updatedMs: nowMs };
      bucket.tokens = Math.min(options.burst, bucket.tokens + ((nowMs - bucket.updatedMs) / 1000) * options.perSecond);
      bucket.updatedMs = nowMs;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true };
      }
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / options.perSecond)) };
    },
  };
}
