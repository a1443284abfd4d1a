import type { Platform } from "@/lib/services/context";
import { screenRegisteredAtobaraiOrders } from "@/lib/services/screen-atobarai-orders";
import type { RunningRunner } from "./embedded-runner";
import { startPollingLoop } from "./polling-loop";

/** Orders screened per pass: each is its own short transaction; a full pass is followed by the next at once. */
export const ATOBARAI_SCREENING_BATCH = 50;

/** The in-process screening (与信) worker of 後払い orders waiting in `registered`, beside the runner of due actions. */
export function startAtobaraiScreeningRunner(options: { platform: Platform; intervalMs: number; batchSize?: number; onError?: (message: string) => void }): RunningRunner {
  const limit = options.batchSize ?? ATOBARAI_SCREENING_BATCH;
  return startPollingLoop({
    intervalMs: options.intervalMs,
    pass: async () => (await screenRegisteredAtobaraiOrders(options.platform, { limit })).screened >= limit,
    onError: (error) => options.onError?.(`後払い screening: ${error instanceof Error ? error.message : String(error)}`),
  });
}
