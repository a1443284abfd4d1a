import { cron } from "inngest";
import { GATEWAY_EVENT_BATCH } from "@/lib/runner/gateway-event-runner";
import { type GatewayEventPass, processGatewayEvents } from "@/lib/services/process-gateway-events";
import { inngest } from "../client";
import { configuredRunContext, type RunContextSource } from "../run-context";

const MAX_PASSES = 20;
// Longer than a pass can take (each event a transaction or two), so a live pass never loses its events.
const LEASE_SECONDS = 120;

/**
 * Received gateway webhooks when Inngest drives the work (the embedded runner does not run then): every minute,
 * steps that each process one pass of due events until a pass comes back short. One run at a time.
 */
export const createProcessGatewayEvents = (runContext: RunContextSource = configuredRunContext) =>
  inngest.createFunction({ id: "process-gateway-events", triggers: [cron("* * * * *")], concurrency: [{ limit: 1 }] }, async ({ step }) => {
    const passes: GatewayEventPass[] = [];
    for (let i = 0; i < MAX_PASSES; i++) {
      const pass = await step.run(`process-${i}`, async () => processGatewayEvents(await runContext(), { limit: GATEWAY_EVENT_BATCH, leaseSeconds: LEASE_SECONDS }));
      passes.push(pass);
      if (pass.claimed < GATEWAY_EVENT_BATCH) break;
    }
    return { passes: passes.length, processed: passes.reduce((n, p) => n + p.processed, 0) };
  });
