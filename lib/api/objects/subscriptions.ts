import { z } from "zod";
import type { usageRecords } from "@/db/schema";
import { ACTION_KINDS } from "@/lib/billing/scheduled-action";
import { SUBSCRIPTION_STATUSES } from "@/lib/billing/subscription-state";
import type { SubscriptionView, TimelineEntry } from "@/lib/services/queries/subscriptions";
import { iso, timestamp } from "../list";

export const subscriptionObject = z
  .object({
    id: z.string(),
    object: z.literal("subscription"),
    customer: z.string(),
    plan: z.string(),
    payment_method: z.string().nullable(),
    status: z.enum(SUBSCRIPTION_STATUSES),
    trial_start: timestamp.nullable(),
    trial_end: timestamp.nullable(),
    current_period_start: timestamp.nullable(),
    current_period_end: timestamp.nullable().describe("The paid-through date (有効期限): end of the paid period and the next charge date"),
    cancel_at_period_end: z.boolean(),
    cancel_reason: z.string().nullable(),
    canceled_at: timestamp.nullable(),
    ended_at: timestamp.nullable(),
    next_action: z
      .object({ kind: z.enum(ACTION_KINDS), due_at: timestamp })
      .nullable()
      .describe("The earliest pending scheduled action of the contract (renewal, retry, dunning notice, …)"),
    test_clock: z.string().nullable(),
    latest_invoice: z.string().nullable(),
    created: timestamp,
  })
  .meta({ id: "Subscription" });

export function toSubscription(view: SubscriptionView): z.infer<typeof subscriptionObject> {
  return {
    id: view.id,
    object: "subscription",
    customer: view.customerId,
    plan: view.planId,
    payment_method: view.paymentMethodId,
    status: view.status,
    trial_start: iso(view.trialStart),
    trial_end: iso(view.trialEnd),
    current_period_start: iso(view.currentPeriodStart),
    current_period_end: iso(view.paidThrough),
    cancel_at_period_end: view.cancelAtPeriodEnd,
    cancel_reason: view.cancelReason,
    canceled_at: iso(view.canceledAt),
    ended_at: iso(view.endedAt),
    next_action: view.nextAction ? { kind: view.nextAction.kind, due_at: iso(view.nextAction.dueAt)! } : null,
    test_clock: view.testClockId,
    latest_invoice: view.latestInvoiceId,
    created: iso(view.createdAt)!,
  };
}

export const timelineEntryObject = z
  .object({
    kind: z.string().describe("A scheduled action kind (renewal, retry, dunning_notice, …), \"payment\", or what was done (created, canceled, resumed, …)"),
    status: z.enum(["done", "scheduled", "canceled"]),
    at: timestamp,
    detail: z.string().describe("What it is, in Japanese"),
  })
  .meta({ id: "TimelineEntry" });

export function toTimelineEntry(entry: TimelineEntry): z.infer<typeof timelineEntryObject> {
  return { kind: entry.kind, status: entry.status, at: iso(entry.at)!, detail: entry.detail };
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
