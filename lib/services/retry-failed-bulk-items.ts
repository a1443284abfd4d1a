import { z } from "zod";
import { and, eq } from "drizzle-orm";
import { bulkJobs } from "@/db/schema";
import { newId } from "@/lib/ids";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { conflict, notFound, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";
import { addFailedItemsOf } from "./internal/bulk-jobs";

export const retryFailedBulkItemsInput = z.object({ jobId: z.string().min(1).max(100) });

/**
 * "Retry the failed rows": a new job of the same kind and params over the contracts whose items failed in a finished
 * job (declined cards, unexpected errors), in their order. The earlier job keeps its results; the new one names it.
 */
export async function retryFailedBulkItems(ctx: ServiceContext, input: z.input<typeof retryFailedBulkItemsInput>) {
  const data = parseInput(retryFailedBulkItemsInput, input);
  authorize(ctx.actor, "contracts.operate");
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [earlier] = await tx
      .select()
      .from(bulkJobs)
      .where(and(eq(bulkJobs.id, data.jobId), eq(bulkJobs.merchantId, ctx.merchantId)))
      .for("update");
    if (!earlier) throw notFound("bulk job", data.jobId, "jobId");
    if (earlier.status !== "done") throw conflict("The job is still running: its failed rows are not final yet", "job_running");
    if (earlier.failed === 0) throw conflict("No row of this job failed", "nothing_failed");
    const job = { id: newId("job"), merchantId: ctx.merchantId };
    await tx.insert(bulkJobs).values({
      ...job,
      kind: earlier.kind,
      status: "running",
      params: earlier.params,
      selection: { type: "retry_of", jobId: earlier.id },
      total: 0,
      retryOf: earlier.id,
      createdBy: ctx.actor.type === "staff" ? ctx.actor.id : null,
      createdAt: now,
    });
    const total = await addFailedItemsOf(tx, job, earlier.id);
    const [row] = await tx.update(bulkJobs).set({ total }).where(eq(bulkJobs.id, job.id)).returning();
    await recordAudit(tx, ctx, { action: "bulk_job.started", targetType: "bulk_job", targetId: job.id, data: { kind: earlier.kind, params: earlier.params, selection: "retry_of", retryOf: earlier.id, total }, at: now });
    return row!;
  });
}
