"use server";

import { DEFAULT_TIME_ZONE, instantOfLocalDateTime } from "@/lib/billing/calendar";
import { type ActionResult, staffAction } from "@/lib/console/action";
import { staffSession } from "@/lib/console/staff-context";
import type { BulkJobInput } from "@/lib/services/bulk-job-input";
import { authorize } from "@/lib/services/authorize";
import { invalid, ServiceError } from "@/lib/services/errors";
import { type BulkPreview, previewBulkJob } from "@/lib/services/preview-bulk-job";
import type { BulkSelection } from "@/lib/services/queries/subscription-search";
import { startBulkJob } from "@/lib/services/start-bulk-job";

/**
 * What the bulk-action dialog asks for. A retry's time comes as the merchant's wall-clock time from a datetime-local
 * input ("2027-02-15T09:00") and is read in the merchant's time zone here; everything else is checked by the service.
 */
export type BulkActionRequest =
  | { kind: "retry"; atLocal: string | null; selection: BulkSelection }
  | { kind: "cancel"; atPeriodEnd: boolean; reason: string | null; selection: BulkSelection };

async function serviceInput(request: BulkActionRequest): Promise<BulkJobInput> {
  if (request?.kind === "cancel") return { kind: "cancel", params: { atPeriodEnd: request.atPeriodEnd, reason: request.reason }, selection: request.selection };
  if (request?.kind !== "retry") throw invalid("kind must be retry or cancel", "kind");
  if (!request.atLocal) return { kind: "retry", params: { at: null }, selection: request.selection };
  const timeZone = (await staffSession())?.staff.merchant.timeZone ?? DEFAULT_TIME_ZONE;
  const at = instantOfLocalDateTime(String(request.atLocal), timeZone);
  if (!at) throw invalid("Enter the retry time as a date and time", "params.at");
  return { kind: "retry", params: { at }, selection: request.selection };
}

/** Whether the signed-in staff member may run bulk actions (viewers may not): the buttons say so before anyone tries. */
export async function bulkActionsAllowedAction(): Promise<ActionResult<boolean>> {
  return staffAction(async (ctx) => {
    try {
      authorize(ctx.actor, "contracts.operate");
      return true;
    } catch (error) {
      if (error instanceof ServiceError && error.code === "forbidden") return false;
      throw error;
    }
  });
}

/** The confirmation's figures: count, sample, skips. */
export async function previewBulkActionAction(request: BulkActionRequest): Promise<ActionResult<BulkPreview>> {
  return staffAction(async (ctx) => previewBulkJob(ctx, await serviceInput(request)));
}

/** Starts the job; the runner works it. Answers its id for the link to its page. */
export async function startBulkActionAction(request: BulkActionRequest): Promise<ActionResult<{ id: string; total: number }>> {
  return staffAction(
    async (ctx) => {
      const job = await startBulkJob(ctx, await serviceInput(request));
      return { id: job.id, total: job.total };
    },
    { revalidate: ["/console/jobs"] },
  );
}
