"use server";

import { type ActionResult, staffAction } from "@/lib/console/action";
import { retryFailedBulkItems } from "@/lib/services/retry-failed-bulk-items";

/** "失敗した行を再実行": a new job over the failed rows of a finished one (the service checks the role and the job). */
export async function retryFailedRowsAction(jobId: string): Promise<ActionResult<{ id: string; total: number }>> {
  return staffAction(
    async (ctx) => {
      const job = await retryFailedBulkItems(ctx, { jobId });
      return { id: job.id, total: job.total };
    },
    { revalidate: ["/console/jobs"] },
  );
}
