import type { Database } from "@/db/client";
import { env, inngestConfigured } from "@/lib/env";
import { configuredGateway } from "@/lib/gateways/configured-gateway";
import { systemClock } from "@/lib/services/context";
import { type RunningRunner, startEmbeddedRunner } from "./embedded-runner";

/** Whether this process should run due actions itself: never when Inngest drives them. */
export function embeddedRunnerEnabled(): boolean {
  const e = env();
  if (e.KEIZOKU_RUNNER) return e.KEIZOKU_RUNNER === "embedded";
  return !inngestConfigured(e);
}

export function startConfiguredRunner(database: Database, log: (line: string) => void = console.error): RunningRunner {
  const e = env();
  return startEmbeddedRunner({
    db: database.db,
    gateway: configuredGateway(database.db),
    clock: systemClock,
    batchSize: e.KEIZOKU_RUNNER_BATCH,
    concurrency: database.kind === "pglite" ? 1 : e.KEIZOKU_RUNNER_CONCURRENCY,
    leaseSeconds: e.KEIZOKU_LEASE_SECONDS,
    intervalMs: e.KEIZOKU_RUNNER_INTERVAL_MS,
    onError: (actionId, error) => log(`runner: action ${actionId} failed: ${error instanceof Error ? error.message : String(error)}`),
  });
}
