import { deliverWebhooks, type DeliverWebhooksOptions, type WebhookPass } from "@/lib/services/deliver-webhooks";
import type { Platform } from "@/lib/services/context";
import type { RunningRunner } from "./embedded-runner";
import { startPollingLoop } from "./polling-loop";

/** Requests in flight per pass: receivers are the merchants' own servers, each answering within the 10 s timeout. */
export const WEBHOOK_CONCURRENCY = 8;

export type WebhookDeliveryRunnerOptions = Omit<DeliverWebhooksOptions, "limit" | "concurrency"> & {
  platform: Pick<Platform, "db" | "clock" | "links">;
  intervalMs: number;
  /** Deliveries claimed per pass. */
  batchSize?: number;
  concurrency?: number;
  onError?: (message: string) => void;
  onPass?: (pass: WebhookPass) => void;
};

/**
 * The in-process webhook worker: claims a pass of due deliveries and sends them, claiming the next at once while
 * passes come full, and otherwise waiting `intervalMs` (or until stop).
 */
export function startWebhookDeliveryRunner(options: WebhookDeliveryRunnerOptions): RunningRunner {
  const concurrency = options.concurrency ?? WEBHOOK_CONCURRENCY;
  const limit = options.batchSize ?? concurrency * 4;
  return startPollingLoop({
    intervalMs: options.intervalMs,
    pass: async () => {
      const pass = await deliverWebhooks(options.platform, { ...options, limit, concurrency });
      options.onPass?.(pass);
      return pass.claimed >= limit;
    },
    onError: (error) => options.onError?.(`webhook delivery: ${error instanceof Error ? error.message : String(error)}`),
  });
}
