import { z } from "zod";
import { ACTION_KINDS } from "@/lib/billing/scheduled-action";
import { SUBSCRIPTION_STATUSES } from "@/lib/billing/subscription-state";
import type { SubscriptionView } from "@/lib/services/queries/subscriptions";
import { iso, timestamp } from "../list";

// Apart from the timeline's objects (lib/i18n words them), so that webhook events can snapshot a contract without
// loading the message catalogues.
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
    pending_plan: z.string().nullable().describe("A plan change that takes effect at the next renewal"),
    paused_at: timestamp.nullable(),
    resume_at: timestamp.nullable().describe("When a paused subscription un-pauses by itself"),
    credit_balance: z.number().int().describe("Credit owed to the customer (a downgrade's unused days), taken off the next invoices; never paid out"),
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
    pending_plan: view.pendingPlanId,
    paused_at: iso(view.pausedAt),
    resume_at: iso(view.resumeAt),
    credit_balance: view.creditBalance,
    cancel_reason: view.cancelReason,
    canceled_at: iso(view.canceledAt),
    ended_at: iso(view.endedAt),
    next_action: view.nextAction ? { kind: view.nextAction.kind, due_at: iso(view.nextAction.dueAt)! } : null,
    test_clock: view.testClockId,
    latest_invoice: view.latestInvoiceId,
    created: iso(view.createdAt)!,
  };
}
