import { z } from "zod";
import type { usageRecords } from "@/db/schema";
import { INVOICE_LINE_KINDS } from "@/lib/billing/invoice";
import { describeTimelineEvent, type TimelineWording } from "@/lib/i18n/timeline";
import type { PlanChangePreview } from "@/lib/services/change-plan";
import type { TimelineEntry } from "@/lib/services/queries/subscriptions";
import { iso, timestamp } from "../list";

export { subscriptionObject, toSubscription } from "./subscription-object";

export const timelineEntryObject = z
  .object({
    kind: z.string().describe("A scheduled action kind (renewal, retry, dunning_notice, …), \"payment\", or what was done (created, canceled, resumed, …)"),
    status: z.enum(["done", "scheduled", "canceled"]),
    at: timestamp,
    detail: z.string().describe("What it is, in Japanese"),
  })
  .meta({ id: "TimelineEntry" });

/** The API keeps one language for `detail`: Japanese, times in the merchant's time zone (the console words it per reader). */
export function toTimelineEntry(entry: TimelineEntry, wording: TimelineWording): z.infer<typeof timelineEntryObject> {
  return { kind: entry.kind, status: entry.status, at: iso(entry.at)!, detail: describeTimelineEvent(entry.event, wording) };
}

export const usageRecordObject = z
  .object({
    id: z.string(),
    object: z.literal("usage_record"),
    subscription: z.string(),
    metric: z.string(),
    quantity: z.number().int(),
    timestamp: timestamp,
    invoice: z.string().nullable().describe("The renewal invoice that billed it, once billed"),
  })
  .meta({ id: "UsageRecord" });

export function toUsageRecord(row: typeof usageRecords.$inferSelect): z.infer<typeof usageRecordObject> {
  return { id: row.id, object: "usage_record", subscription: row.subscriptionId, metric: row.metric, quantity: row.quantity, timestamp: iso(row.recordedAt)!, invoice: row.invoiceId };
}

const previewLine = z.object({ kind: z.enum(INVOICE_LINE_KINDS), description: z.string(), amount: z.number().int(), quantity: z.number().int() });

export const planChangePreviewObject = z
  .object({
    object: z.literal("plan_change_preview"),
    plan: z.string(),
    invoice: z
      .object({
        currency: z.string(),
        lines: z.array(previewLine),
        subtotal: z.number().int(),
        tax: z.number().int(),
        total: z.number().int().describe("What would be charged now (0 when credit covers it)"),
        credit_applied: z.number().int(),
        credit_carried: z.number().int().describe("Credit left to the customer for the next invoices"),
      })
      .nullable()
      .describe("The invoice the change would charge now; null when nothing is charged now"),
    next_renewal: z.object({ at: timestamp, total: z.number().int(), currency: z.string() }).nullable().describe("The next renewal after the change, on the new plan"),
  })
  .meta({ id: "PlanChangePreview" });

export function toPlanChangePreview(preview: PlanChangePreview): z.infer<typeof planChangePreviewObject> {
  return {
    object: "plan_change_preview",
    plan: preview.plan.id,
    invoice: preview.invoice
      ? {
          currency: preview.invoice.currency,
          lines: preview.invoice.lines.map((l) => ({ kind: l.kind, description: l.description, amount: l.amount, quantity: l.quantity })),
          subtotal: preview.invoice.subtotal,
          tax: preview.invoice.tax,
          total: preview.invoice.total,
          credit_applied: preview.invoice.creditApplied,
          credit_carried: preview.invoice.creditCarried,
        }
      : null,
    next_renewal: preview.nextRenewal ? { at: iso(preview.nextRenewal.at)!, total: preview.nextRenewal.total, currency: preview.nextRenewal.currency } : null,
  };
}
