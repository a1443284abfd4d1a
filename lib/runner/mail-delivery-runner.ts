import { deliverMails, type DeliverMailsOptions, type DeliveryPass } from "@/lib/services/deliver-mails";
import type { Platform } from "@/lib/services/context";
import type { RunningRunner } from "./embedded-runner";

/** Provider requests in flight per lane: Resend counts requests per second, and a batch request carries 100 mails. */
export const MAIL_CONCURRENCY = 2;

export type MailDeliveryRunnerOptions = Omit<DeliverMailsOptions, "limit" | "concurrency"> & {
  platform: Pick<Platform, "db" | "clock" | "mailer" | "links">;
  intervalMs: number;
  concurrency?: number;
  /** Passes side by side: one lane's database work runs while another's requests are out. */
  lanes?: number;
  onError?: (message: string) => void;
  onPass?: (pass: DeliveryPass) => void;
};

/**
 * The in-process delivery worker: lanes that each claim a pass of `batchSize × concurrency` due mails and deliver
 * them, claiming the next at once while passes come full, and otherwise waiting `intervalMs` (or until stop).
 */
export function startMailDeliveryRunner(options: MailDeliveryRunnerOptions): RunningRunner {
  let stopped = false;
  const wakers = new Set<() => void>();
  const concurrency = options.concurrency ?? MAIL_CONCURRENCY;
  const limit = options.batchSize * concurrency;
  const lane = async () => {
    while (!stopped) {
      let claimed = 0;
      try {
        const pass = await deliverMails(options.platform, { ...options, limit, concurrency });
        claimed = pass.claimed;
        options.onPass?.(pass);
      } catch (error) {
        options.onError?.(`mail delivery: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (claimed < limit && !stopped) {
        await new Promise<void>((resolve) => {
          wakers.add(resolve);
          setTimeout(() => {
            wakers.delete(resolve);
            resolve();
          }, options.intervalMs);
        });
      }
    }
  };
  const lanes = Promise.all(Array.from({ length: Math.max(1, options.lanes ?? 1) }, lane));
  return {
    async stop() {
      stopped = true;
      for (const wake of wakers) wake();
      await lanes;
    },
  };
}
