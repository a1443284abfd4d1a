import v8 from "node:v8";
import vm from "node:vm";

/**
 * Peak resident memory per phase of the benchmark. RSS (not heap) is what the machine pays for, and with PGlite
 * it includes the embedded database itself. Each phase starts after a full garbage collection, so that its figures
 * do not carry the previous phase's garbage (seeding 100,000 contracts leaves plenty).
 */
export type PhaseMemory = { startMb: number; peakMb: number };

export type RssSampler = {
  /** Collects garbage, then attributes samples to a new phase. */
  phase(name: string): void;
  /** Per phase, in the order they started: RSS when it started and its peak. */
  phases(): Record<string, PhaseMemory>;
  /** V8 heap in use after a full collection: what the process still holds. */
  liveHeapMb(): number;
  stop(): void;
};

const MB = 1024 * 1024;

/**
 * The global gc() of --expose-gc, which `npm run bench` cannot pass to Node: the flag is switched on here, and a
 * fresh context picks up the function it adds.
 */
function fullGc(): () => void {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

export function sampleRss(intervalMs = 50): RssSampler {
  const gc = fullGc();
  const phases = new Map<string, { start: number; peak: number }>();
  let current = { start: process.memoryUsage().rss, peak: 0 };
  phases.set("start", current);
  const sample = () => {
    current.peak = Math.max(current.peak, process.memoryUsage().rss);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  const toMb = (bytes: number) => Math.round(bytes / MB);
  return {
    phase(name) {
      sample();
      gc();
      current = { start: process.memoryUsage().rss, peak: 0 };
      phases.set(name, current);
      sample();
    },
    phases() {
      sample();
      return Object.fromEntries([...phases].map(([name, m]) => [name, { startMb: toMb(m.start), peakMb: toMb(m.peak) }]));
    },
    liveHeapMb() {
      gc();
      return toMb(process.memoryUsage().heapUsed);
    },
    stop() {
      clearInterval(timer);
    },
  };
}
