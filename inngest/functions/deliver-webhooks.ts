import { cron } from "inngest";
import { WEBHOOK_CONCURRENCY } from "@/lib/runner/webhook-delivery-runner";
import { deliverWebhooks, type WebhookPass } from "@/lib/services/deliver-webhooks";
import { inngest } from "../client";
import { configuredRunContext, type RunContextSource } from "../run-context";

/** Passes per run: each step is one request to this server, a pass at most a few rounds of 10 s requests. */
const MAX_PASSES = 20;
const LIMIT = WEBHOOK_CONCURRENCY * 4;
// Longer than a pass can take (4 rounds of requests of at most 10 s each), so a live pass never loses its rows.
const LEASE_SECONDS = 120;

/**
 * The webhook worker when Inngest drives the work (the embedded runner does not run then): every minute, steps that
 * each deliver one pass of due deliveries (leased rows, fenced writes) until a pass comes back short. One run at a time.
 */
export const createDeliverWebhooks = (runContext: RunContextSource = configuredRunContext) =>
  inngest.createFunction({ id: "deliver-webhooks", triggers: [cron("* * * * *")], concurrency: [{ limit: 1 }] }, async ({ step }) => {
    const passes: WebhookPass[] = [];
    for (let i = 0; i < MAX_PASSES; i++) {
      const pass = await step.run(`deliver-${i}`, async () => deliverWebhooks(await runContext(), { limit: LIMIT, concurrency: WEBHOOK_CONCURRENCY, leaseSeconds: LEASE_SECONDS }));
      passes.push(pass);
      if (pass.claimed < LIMIT) break;
    }
    return { passes: passes.length, delivered: passes.reduce((n, p) => n + p.delivered, 0) };
  });
