import { describe, expect, it } from "vitest";
import { afterFailure, attemptAllowed, EMAIL_RULE, type ThrottleCounter } from "./sign-in-throttle";

const t0 = new Date("2027-01-01T00:00:00Z");
const after = (ms: number) => new Date(t0.getTime() + ms);

function fail(times: number, rule = EMAIL_RULE, start = t0): ThrottleCounter | null {
  let counter: ThrottleCounter | null = null;
  let now = start;
  for (let i = 0; i < times; i++) {
    counter = afterFailure(counter, rule, now);
    // Each attempt waits out the backoff, as a patient attacker would.
    if (counter.lockedUntil) now = counter.lockedUntil;
  }
  return counter;
}

describe("sign-in throttle", () => {
  it("lets the first failures through, then makes each attempt wait twice as long", () => {
    expect(fail(3)!.lockedUntil).toBeNull();
    const fourth = afterFailure(fail(3), EMAIL_RULE, t0);
    expect(fourth.lockedUntil).toEqual(after(2_000));
    expect(attemptAllowed(fourth, EMAIL_RULE, after(1_999))).toEqual({ allowed: false, until: after(2_000) });
    expect(attemptAllowed(fourth, EMAIL_RULE, after(2_000))).toEqual({ allowed: true });
    const fifth = afterFailure(fourth, EMAIL_RULE, after(2_000));
    expect(fifth.lockedUntil).toEqual(after(2_000 + 4_000));
  });

  it("locks for fifteen minutes at the limit", () => {
    const counter = fail(EMAIL_RULE.lockAfter);
    expect(counter!.failures).toBe(10);
    expect(counter!.lockedUntil!.getTime() - counter!.lastFailedAt.getTime()).toBe(15 * 60_000);
  });

  it("forgets a counter an hour after its last failure, but not while it is locked", () => {
    const counter = afterFailure(fail(3), EMAIL_RULE, t0);
    expect(afterFailure(counter, EMAIL_RULE, after(3_600_000)).failures).toBe(1);
    expect(afterFailure(counter, EMAIL_RULE, after(3_599_000)).failures).toBe(5);
    const locked = { ...counter, lockedUntil: after(2 * 3_600_000) };
    expect(attemptAllowed(locked, EMAIL_RULE, after(3_700_000)).allowed).toBe(false);
  });
});
