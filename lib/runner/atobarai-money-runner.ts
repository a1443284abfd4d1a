import type { Platform } from "@/lib/services/context";
import { type AtobaraiMoneyPass, runAtobaraiMoney } from "@/lib/services/run-atobarai-money";
import type { RunningRunner } from "./embedded-runner";
import { startPollingLoop } from "./polling-loop";

/** How often the 後払い money workers look: reminders and closes are by the day, so every five minutes is on time. */
export const ATOBARAI_MONEY_INTERVAL_MS = 5 * 60_000;

/** The in-process 後払い money worker (reminders, collection, settlement closes), beside the runner of due actions. */
export function startAtobaraiMoneyRunner(options: { platform: Platform; intervalMs?: number; onError?: (message: string) => void; onPass?: (pass: AtobaraiMoneyPass) => void }): RunningRunner {
  return startPollingLoop({
    intervalMs: options.intervalMs ?? ATOBARAI_MONEY_INTERVAL_MS,
    pass: async () => {
      options.onPass?.(await runAtobaraiMoney(options.platform));
      return false;
    },
    onError: (error) => options.onError?.(`atobarai money: ${error instanceof Error ? error.message : String(error)}`),
  });
}
