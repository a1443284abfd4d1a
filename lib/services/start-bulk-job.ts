import { eq } from "drizzle-orm";
import { bulkJobs } from "@/db/schema";
import { newId } from "@/lib/ids";
import { authorize } from "./authorize";
import { bulkActionOfInput, bulkJobInput, type BulkJobInput } from "./bulk-job-input";
import type { ServiceContext } from "./context";
import { invalid, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";
import { selectedContractIds } from "./internal/bulk-selection";
import { addItems, storedParams } from "./internal/bulk-jobs";

/**
 * Starts a bulk retry or cancel: the job and one item per selected contract of the merchant, written in one
 * transaction with its audit line. A search selection is taken as the exact set of contracts matching it now. The
 * runner (or the Inngest function) then works the items; see runBulkJobs.
 */
export async function startBulkJob(ctx: ServiceContext, input: BulkJobInput) {
  const data = parseInput(bulkJobInput, input);
  authorize(ctx.actor, "contracts.operate");
  const action = bulkActionOfInput(data, ctx.clock);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const job = { id: newId("job"), merchantId: ctx.merchantId };
    await tx.insert(bulkJobs).values({
      ...job,
      kind: action.kind,
      status: "running",
      params: storedParams(action),
      // The items are the exact set; the row keeps how it was chosen (a search's filters, not a list of ids).
      selection: data.selection.type === "ids" ? { type: "ids", count: data.selection.ids.length } : data.selection,
      total: 0,
      createdBy: ctx.actor.type === "staff" ? ctx.actor.id : null,
      createdAt: now,
    });
    let total = 0;
    let position = 0;
    for await (const ids of selectedContractIds({ ...ctx, db: tx }, data.selection)) {
      total += await addItems(tx, job, ids, position);
      position += ids.length;
    }
    if (total === 0) throw invalid("None of the selected contracts exists", "selection", "nothing_selected");
    const [row] = await tx.update(bulkJobs).set({ total }).where(eq(bulkJobs.id, job.id)).returning();
    await recordAudit(tx, ctx, { action: "bulk_job.started", targetType: "bulk_job", targetId: job.id, data: { kind: action.kind, params: storedParams(action), selection: data.selection.type, total }, at: now });
    return row!;
  });
}
