import type { Database } from "@/db/client";
import { env, type Env, inngestConfigured } from "@/lib/env";
import { configuredPlatform, mailReceipts } from "@/lib/platform";
import { startAtobaraiScreeningRunner } from "./atobarai-screening-runner";
import { startAtobaraiMoneyRunner } from "./atobarai-money-runner";
import { startBulkJobRunner } from "./bulk-job-runner";
import { type RunningRunner, startEmbeddedRunner } from "./embedded-runner";
import { startMailDeliveryRunner } from "./mail-delivery-runner";
import { startGatewayEventRunner } from "./gateway-event-runner";
import { startWebhookDeliveryRunner } from "./webhook-delivery-runner";

/**
 * Who runs due actions, decided here only: Inngest when INNGEST_DEV or INNGEST_EVENT_KEY is set (then this process
 * serves /api/inngest and never runs the embedded loop), the embedded runner otherwise, unless KEIZOKU_RUNNER=off
 * leaves them to another process (`npm run cli -- runner`). Never both from one process.
 */
export type ActionDriver = "inngest" | "embedded" | "off";

export function actionDriver(e: Env = env()): ActionDriver {
  if (inngestConfigured(e)) return "inngest";
  return e.KEIZOKU_RUNNER === "off" ? "off" : "embedded";
}

/** Whether this process should run due actions itself: never when Inngest drives them. */
export function embeddedRunnerEnabled(e: Env = env()): boolean {
  return actionDriver(e) === "embedded";
}

/**
 * The runner of due actions and, beside it, the workers of bulk jobs, of mail delivery, of webhook delivery, of
 * received gateway webhooks of 後払い screening and of 後払い money (reminders, settlement closes), on one platform; stop() stops all.
 */
export function startConfiguredRunner(database: Database, log: (line: string) => void = console.error): RunningRunner {
  const e = env();
  const platform = configuredPlatform(database);
  const bulkJobs = startBulkJobRunner({
    platform,
    leaseSeconds: e.KEIZOKU_LEASE_SECONDS,
    concurrency: e.KEIZOKU_RUNNER_CONCURRENCY,
    intervalMs: e.KEIZOKU_RUNNER_INTERVAL_MS,
    onError: (message) => log(`runner: ${message}`),
  });
  const actions = startEmbeddedRunner({
    platform,
    batchSize: e.KEIZOKU_RUNNER_BATCH,
    concurrency: e.KEIZOKU_RUNNER_CONCURRENCY,
    lanes: database.kind === "pglite" ? 1 : e.KEIZOKU_RUNNER_LANES,
    leaseSeconds: e.KEIZOKU_LEASE_SECONDS,
    intervalMs: e.KEIZOKU_RUNNER_INTERVAL_MS,
    onError: (actionId, error) => log(`runner: action ${actionId} failed: ${error instanceof Error ? error.message : String(error)}`),
  });
  const mail = startMailDeliveryRunner({
    platform,
    batchSize: e.KEIZOKU_MAIL_BATCH,
    leaseSeconds: e.KEIZOKU_LEASE_SECONDS,
    mailFrom: e.KEIZOKU_MAIL_FROM,
    receiptFor: mailReceipts,
    intervalMs: e.KEIZOKU_RUNNER_INTERVAL_MS,
    // Two passes side by side: one records and claims while the other's requests are out (also on PGlite, whose
    // one connection takes their statements in turn; measured 82 % of the rate limit with one lane, 91 % with two).
    lanes: 2,
    onError: (message) => log(`runner: ${message}`),
  });
  const webhooks = startWebhookDeliveryRunner({
    platform,
    leaseSeconds: e.KEIZOKU_LEASE_SECONDS,
    intervalMs: e.KEIZOKU_RUNNER_INTERVAL_MS,
    onError: (message) => log(`runner: ${message}`),
  });
  const gatewayEvents = startGatewayEventRunner({
    platform,
    leaseSeconds: e.KEIZOKU_LEASE_SECONDS,
    intervalMs: e.KEIZOKU_RUNNER_INTERVAL_MS,
    onError: (message) => log(`runner: ${message}`),
  });
  const atobaraiMoney = startAtobaraiMoneyRunner({ platform, onError: (message) => log(`runner: ${message}`) });
  const atobaraiScreening = startAtobaraiScreeningRunner({ platform, intervalMs: e.KEIZOKU_RUNNER_INTERVAL_MS, onError: (message) => log(`runner: ${message}`) });
  return {
    async stop() {
      await Promise.all([actions.stop(), bulkJobs.stop(), mail.stop(), webhooks.stop(), gatewayEvents.stop(), atobaraiScreening.stop(), atobaraiMoney.stop()]);
    },
  };
}
