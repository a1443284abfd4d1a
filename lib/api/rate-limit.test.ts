import { describe, expect, it } from "vitest";
import { createRateLimiter } from "./rate-limit";

// The limiter reads no clock of its own: each call says what time it is, so these tests control time exactly.
const T0 = Date.parse("2027-01-10T03:00:00Z");

describe("rate limiter (token bucket per key)", () => {
  it("lets a full burst through at once, then refuses with the seconds until a token is back", () => {
    const limiter = createRateLimiter({ perSecond: 1, burst: 3 });
    expect([1, 2, 3].map(() => limiter.take("key_a", T0))).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    expect(limiter.take("key_a", T0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take("key_a", T0 + 400)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it("refills at perSecond and never holds more than the burst", () => {
    const limiter = createRateLimiter({ perSecond: 2, burst: 4 });
    for (let i = 0; i < 4; i++) expect(limiter.take("k", T0).allowed).toBe(true);
    expect(limiter.take("k", T0).allowed).toBe(false);
    // Half a second at 2/s is one token.
    expect(limiter.take("k", T0 + 500).allowed).toBe(true);
    expect(limiter.take("k", T0 + 500).allowed).toBe(false);
    // An hour idle refills to the burst, not beyond.
    const later = T0 + 3_600_000;
    const answers = Array.from({ length: 6 }, () => limiter.take("k", later).allowed);
    expect(answers).toEqual([true, true, true, true, false, false]);
  });

  it("rounds Retry-After up to whole seconds, at least 1, for slow rates", () => {
    const limiter = createRateLimiter({ perSecond: 0.25, burst: 1 });
    expect(limiter.take("k", T0).allowed).toBe(true);
    expect(limiter.take("k", T0)).toEqual({ allowed: false, retryAfterSeconds: 4 });
    expect(limiter.take("k", T0 + 1_000)).toEqual({ allowed: false, retryAfterSeconds: 3 });
    expect(limiter.take("k", T0 + 3_900)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take("k", T0 + 4_000)).toEqual({ allowed: true });
  });

  it("keeps one budget per key: a busy key does not slow another", () => {
    const limiter = createRateLimiter({ perSecond: 1, burst: 2 });
    limiter.take("busy", T0);
    limiter.take("busy", T0);
    expect(limiter.take("busy", T0).allowed).toBe(false);
    expect(limiter.take("quiet", T0)).toEqual({ allowed: true });
    expect(limiter.take("quiet", T0)).toEqual({ allowed: true });
    expect(limiter.take("quiet", T0).allowed).toBe(false);
  });

  it("does not spend a token on a refused request", () => {
    const limiter = createRateLimiter({ perSecond: 1, burst: 1 });
    expect(limiter.take("k", T0).allowed).toBe(true);
    for (let i = 0; i < 10; i++) expect(limiter.take("k", T0 + i * 10).allowed).toBe(false);
    expect(limiter.take("k", T0 + 1_000).allowed).toBe(true);
  });
});
