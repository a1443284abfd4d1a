import { deliverWebhooks, type DeliverWebhooksOptions, type WebhookPass } from "@/lib/services/deliver-webhooks";
import type { Platform } from "@/lib/services/context";
import type { RunningRunner } from "./embedded-runner";

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
  let stopped = false;
  let wake: (() => void) | null = null;
  const concurrency = options.concurrency ?? WEBHOOK_CONCURRENCY;
  const limit = options.batchSize ?? concurrency * 4;
  const loop = async () => {
    while (!stopped) {
      let claimed = 0;
      try {
        const pass = await deliverWebhooks(options.platform, { ...options, limit, concurrency });
        claimed = pass.claimed;
        options.onPass?.(pass);
      } catch (error) {
        options.onError?.(`webhook delivery: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (claimed < limit && !stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.intervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    }
  };
  const running = loop();
  return {
    async stop() {
      stopped = true;
      (wake as (() => void) | null)?.();
      await running;
    },
  };
}
