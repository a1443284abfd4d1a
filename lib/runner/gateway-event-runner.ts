import type { Platform } from "@/lib/services/context";
import { type GatewayEventPass, processGatewayEvents } from "@/lib/services/process-gateway-events";
import type { RunningRunner } from "./embedded-runner";
import { startPollingLoop } from "./polling-loop";

/** Events per pass: each is a transaction or two, so a pass is short and a full one is followed by the next at once. */
export const GATEWAY_EVENT_BATCH = 50;

/** The in-process worker of received gateway webhooks (processGatewayEvents), beside the runner of due actions. */
export function startGatewayEventRunner(options: {
  platform: Platform;
  leaseSeconds: number;
  intervalMs: number;
  batchSize?: number;
  onError?: (message: string) => void;
  onPass?: (pass: GatewayEventPass) => void;
}): RunningRunner {
  const limit = options.batchSize ?? GATEWAY_EVENT_BATCH;
  return startPollingLoop({
    intervalMs: options.intervalMs,
    pass: async () => {
      const pass = await processGatewayEvents(options.platform, { limit, leaseSeconds: options.leaseSeconds });
      options.onPass?.(pass);
      return pass.claimed >= limit;
    },
    onError: (error) => options.onError?.(`gateway events: ${error instanceof Error ? error.message : String(error)}`),
  });
}
