import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { bulkJobItems, bulkJobs } from "@/db/schema";
import { fixedClock } from "@/lib/services/context";
import { operatorContext } from "@/lib/services/contexts";
import { startBulkJob } from "@/lib/services/start-bulk-job";
import { seedOverdueContracts } from "@/test/fixtures/overdue-contracts";
import { openIsolatedTestDatabase, testRunContext } from "@/test/support/inngest";
import { testPlatform } from "@/test/support/platform";
import { createSandboxGateway } from "@/lib/gateways/sandbox";
import { BULK_BATCHES_PER_STEP, createBulkJobs } from "./bulk-jobs";

const NOW = new Date("2027-03-01T01:00:00Z");

let database: Database;
beforeAll(async () => {
  database = await openIsolatedTestDatabase();
});
afterAll(async () => database.close());

describe("bulk-jobs", () => {
  it("works a job through in steps of at most ten batches, with the same service as the embedded runner", async () => {
    // More than one step's worth of contracts: the job goes on in the next step.
    const batchSize = 5;
    const count = batchSize * BULK_BATCHES_PER_STEP + 7;
    const seeded = await seedOverdueContracts(database.db, { count, paidThrough: new Date(NOW.getTime() - 3 * 86_400_000) });
    const gateway = createSandboxGateway(database.db);
    const ctx = operatorContext(testPlatform(database.db, { gateway, clock: fixedClock(NOW) }), seeded.merchantId, "test");
    const job = await startBulkJob(ctx, { kind: "cancel", params: { atPeriodEnd: false, reason: "整理" }, selection: { type: "search", filters: { status: ["past_due"] }, count } });
    const run = await new InngestTestEngine({ function: createBulkJobs(testRunContext(database, gateway, fixedClock(NOW)), { batchSize }) }).execute({
      events: [{ name: "inngest/scheduled.timer", data: { cron: "* * * * *" } }],
    });
    expect(run.error).toBeUndefined();
    expect(run.ctx.step.run.mock.calls.map((c) => c[0])).toEqual(["work-0", "work-1", "work-2"]);
    expect(run.result).toEqual({ passes: 2, worked: count });
    const [row] = await database.db.select().from(bulkJobs).where(eq(bulkJobs.id, job.id));
    expect(row).toMatchObject({ status: "done", done: count, skipped: 0, failed: 0, leaseUntil: null });
    const items = await database.db.select({ status: bulkJobItems.status }).from(bulkJobItems).where(eq(bulkJobItems.jobId, job.id));
    expect(items.filter((i) => i.status === "done")).toHaveLength(count);
  });
});
