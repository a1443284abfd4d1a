import { describe, expect, it } from "vitest";
import { createTokenBucket } from "./sandbox-rate-limiter";

/** Records the delays a bucket asks for, on a virtual clock. */
function recordingBucket(perSecond: number, burst?: number) {
  let clock = 0;
  const delays: number[] = [];
  const bucket = createTokenBucket({
    perSecond,
    burst,
    now: () => clock,
    wait: async (ms) => {
      delays.push(ms);
    },
  });
  return {
    delays,
    setClock: (t: number) => {
      clock = t;
    },
    /** The times at which n callers arriving together at the current clock are let through. */
    async takeMany(n: number): Promise<number[]> {
      const start = clock;
      const pending: Promise<void>[] = [];
      const released: number[] = [];
      for (let i = 0; i < n; i++) {
        // take() books its slot and asks for its wait synchronously, before its first await.
        const seen = delays.length;
        pending.push(bucket.take());
        released.push(start + (delays.length > seen ? delays[delays.length - 1]! : 0));
      }
      await Promise.all(pending);
      return released;
    },
  };
}

describe("createTokenBucket", () => {
  it("spaces callers evenly at the rate, in arrival order", async () => {
    const b = recordingBucket(50);
    const released = await b.takeMany(30);
    expect(released).toEqual(Array.from({ length: 30 }, (_, i) => i * 20));
  });

  it("sustains the configured rate: 1,000 calls at 100/s are through in under 10 s", async () => {
    const b = recordingBucket(100);
    const released = await b.takeMany(1000);
    const last = released[released.length - 1]!;
    expect(last).toBe(9990);
    expect(1000 / ((last + 10) / 1000)).toBeGreaterThanOrEqual(90);
  });

  it("lets a burst through at once after an idle spell, then spaces the rest", async () => {
    const b = recordingBucket(10, 5);
    expect(await b.takeMany(7)).toEqual([0, 0, 0, 0, 0, 100, 200]);
    // After a long idle spell the bucket is full again, but holds no more than its capacity.
    b.setClock(60_000);
    expect(await b.takeMany(6)).toEqual([60_000, 60_000, 60_000, 60_000, 60_000, 60_100]);
  });

  it("refills at the rate while callers trickle in", async () => {
    const b = recordingBucket(10);
    expect(await b.takeMany(1)).toEqual([0]);
    b.setClock(50);
    expect(await b.takeMany(1)).toEqual([100]);
    b.setClock(250);
    expect(await b.takeMany(2)).toEqual([250, 350]);
  });

  it("rounds waits up to whole milliseconds so a timer never fires before the slot", async () => {
    const b = recordingBucket(3);
    await b.takeMany(3);
    expect(b.delays).toEqual([334, 667]);
  });

  it("refuses nonsense settings", () => {
    expect(() => createTokenBucket({ perSecond: 0 })).toThrow(RangeError);
    expect(() => createTokenBucket({ perSecond: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => createTokenBucket({ perSecond: 10, burst: 0 })).toThrow(RangeError);
    expect(() => createTokenBucket({ perSecond: 10, burst: 1.5 })).toThrow(RangeError);
  });

  it("waits on the real clock by default", async () => {
    const bucket = createTokenBucket({ perSecond: 20 });
    const start = performance.now();
    await Promise.all([bucket.take(), bucket.take(), bucket.take()]);
    // Two waits of 50 ms; timers fire late, never (much) early.
    expect(performance.now() - start).toBeGreaterThanOrEqual(95);
  });
});
