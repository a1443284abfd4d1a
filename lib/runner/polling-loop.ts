import type { RunningRunner } from "./embedded-runner";

/**
 * An in-process worker's loop: runs `pass` again at once while it says there is more work (it came back full), and
 * otherwise waits `intervalMs`, or until stop. A pass that throws is reported and waited on like an empty one.
 */
export function startPollingLoop(options: { intervalMs: number; pass: () => Promise<boolean>; onError: (error: unknown) => void }): RunningRunner {
  let stopped = false;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (!stopped) {
      let more = false;
      try {
        more = await options.pass();
      } catch (error) {
        options.onError(error);
      }
      if (more || stopped) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.intervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  })();
  return {
    async stop() {
      stopped = true;
      (wake as (() => void) | null)?.();
      await loop;
    },
  };
}
