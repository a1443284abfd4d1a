import { describe, expect, it } from "vitest";
import { failingTooLong, GIVE_UP_AFTER_MS, nextAttemptAt } from "./backoff";

const MIN = 60_000;
const H = 60 * MIN;

describe("webhook backoff", () => {
  it("waits 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, then 12 h, and tries a last time at the three-day mark", () => {
    const first = new Date("2027-01-01T00:00:00Z");
    const waits: number[] = [];
    let now = first;
    for (let attempt = 1; ; attempt++) {
      const next = nextAttemptAt(first, attempt, now);
      if (!next) break;
      waits.push(next.getTime() - now.getTime());
      now = next;
    }
    expect(waits.slice(0, 7)).toEqual([MIN, 5 * MIN, 30 * MIN, 2 * H, 5 * H, 10 * H, 12 * H]);
    expect(now.getTime() - first.getTime()).toBe(GIVE_UP_AFTER_MS);
    expect(waits.slice(7, -1).every((w) => w === 12 * H)).toBe(true);
    expect(waits.length).toBe(11);
  });

  it("gives up once three days have passed, however few attempts were made", () => {
    const first = new Date("2027-01-01T00:00:00Z");
    expect(nextAttemptAt(first, 1, new Date(first.getTime() + GIVE_UP_AFTER_MS))).toBeNull();
    expect(nextAttemptAt(first, 1, new Date(first.getTime() + GIVE_UP_AFTER_MS - 1000))).toEqual(new Date(first.getTime() + GIVE_UP_AFTER_MS));
  });

  it("disables an endpoint only after three days of failures", () => {
    const since = new Date("2027-01-01T00:00:00Z");
    expect(failingTooLong(null, new Date("2027-02-01T00:00:00Z"))).toBe(false);
    expect(failingTooLong(since, new Date(since.getTime() + GIVE_UP_AFTER_MS - 1))).toBe(false);
    expect(failingTooLong(since, new Date(since.getTime() + GIVE_UP_AFTER_MS))).toBe(true);
  });
});
