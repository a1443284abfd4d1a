import { cron } from "inngest";
import { BULK_BATCH } from "@/lib/runner/bulk-job-runner";
import { type BulkWorkResult, workBulkJob } from "@/lib/services/run-bulk-jobs";
import { inngest } from "../client";
import { configuredRunContext, type RunContextSource } from "../run-context";

/** Batches per step: a step is one request to this server, kept to a few seconds. */
export const BULK_BATCHES_PER_STEP = 10;
const MAX_STEPS = 100;
const LEASE_SECONDS = 120;
const CHARGE_CONCURRENCY = 16;

/**
 * The bulk jobs' worker when Inngest drives the work (the embedded runner's bulk-job loop does not run then): every
 * minute, steps that each claim a job nobody works on and work a slice of it through the same service
 * (workBulkJob: lease-fenced batches, each contract's result committed with its effect), until none is left. A
 * step that dies leaves its lease to lapse; a later step or run takes the job up again.
 */
export const createBulkJobs = (runContext: RunContextSource = configuredRunContext, settings: { batchSize: number } = { batchSize: BULK_BATCH }) =>
  inngest.createFunction({ id: "bulk-jobs", triggers: [cron("* * * * *")], concurrency: [{ limit: 1 }] }, async ({ step }) => {
    const passes: BulkWorkResult[] = [];
    for (let i = 0; i < MAX_STEPS; i++) {
      const pass = await step.run(`work-${i}`, async () =>
        workBulkJob(await runContext(), { batchSize: settings.batchSize, leaseSeconds: LEASE_SECONDS, chargeConcurrency: CHARGE_CONCURRENCY, maxBatches: BULK_BATCHES_PER_STEP }),
      );
      if (!pass) break;
      passes.push(pass);
      // Its retries are still charging: the job was let go for a moment; look again after it.
      if (pass.state === "waiting") await step.sleep(`wait-${i}`, "3s");
    }
    return { passes: passes.length, worked: passes.reduce((sum, p) => sum + p.worked, 0) };
  });
