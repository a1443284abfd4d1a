import { createHash } from "node:crypto";
import { z } from "zod";
import { SUBSCRIPTION_STATUSES } from "@/lib/billing/subscription-state";
import { japaneseTimelineWording } from "@/lib/i18n/timeline";
import { cancelSubscription, cancelSubscriptionInput } from "@/lib/services/cancel-subscription";
import { chargeAdditional, chargeAdditionalInput } from "@/lib/services/charge-additional";
import { createSubscription, createSubscriptionInput } from "@/lib/services/create-subscription";
import { changePlan, changePlanInput, previewPlanChange } from "@/lib/services/change-plan";
import { pauseSubscription, pauseSubscriptionInput } from "@/lib/services/pause-subscription";
import { getMerchantTimeZone } from "@/lib/services/queries/merchant";
import { getSubscription, listSubscriptions, subscriptionTimeline } from "@/lib/services/queries/subscriptions";
import { recordUsage, recordUsageInput } from "@/lib/services/record-usage";
import { resumeSubscription } from "@/lib/services/resume-subscription";
import { retryPayment, retryPaymentInput } from "@/lib/services/retry-payment";
import { updatePaymentMethodInput, updateSubscriptionPaymentMethod } from "@/lib/services/update-payment-method";
import { listOf, listQuery, toList } from "../list";
import { invoiceObject, toInvoice } from "../objects/invoices";
import {
  planChangePreviewObject,
  subscriptionObject,
  timelineEntryObject,
  toPlanChangePreview,
  toSubscription,
  toTimelineEntry,
  toUsageRecord,
  usageRecordObject,
} from "../objects/subscriptions";
import { route } from "../router";

const create = createSubscriptionInput.shape;
const charge = chargeAdditionalInput.shape;
const usage = recordUsageInput.shape;

/** A time in the API is an ISO 8601 string with its offset; the service's own field rule then applies. */
const isoTime = (field: z.ZodType<Date | null | undefined>) =>
  // The service's field coerces anything; its input type is `unknown`, which zod's pipe typing wants as a string.
  z.iso.datetime({ offset: true }).pipe(field as z.ZodType<Date | null | undefined, string>).nullish();

/**
 * The caller's Idempotency-Key, as a key of the service's own effect: a request re-run after a crash (the
 * core lets a same-key request take over after its lock expires) finds the invoice the first run issued and
 * replays its in-flight gateway call instead of charging again.
 */
const effectKey = (subscriptionId: string, idempotencyKey: string | null) =>
  idempotencyKey ? `api:${subscriptionId}:${createHash("sha256").update(idempotencyKey).digest("hex")}` : null;

export const subscriptionRoutes = [
  route({
    method: "POST",
    path: "/subscriptions",
    tag: "Subscriptions",
    summary:
      "Create a subscription. Charges the first period (and joining fee) at once unless the plan starts with a trial or a free period. " +
      "A declined first charge answers 402 card_error with `subscription` and `invoice` ids in the error: the subscription stays `incomplete` " +
      "and can be completed with a new card (POST /subscriptions/{id}/payment_method), retried (POST /subscriptions/{id}/retry) or canceled.",
    body: z.strictObject({
      customer: create.customerId,
      plan: create.planId,
      payment_method: create.paymentMethodId.describe("Defaults to the customer's default payment method"),
    }),
    response: subscriptionObject,
    handler: async ({ ctx, body }) => {
      const subscription = await createSubscription(ctx, { customerId: body.customer, planId: body.plan, paymentMethodId: body.payment_method });
      return toSubscription(await getSubscription(ctx, subscription.id));
    },
  }),
  route({
    method: "GET",
    path: "/subscriptions",
    tag: "Subscriptions",
    summary: "List subscriptions, newest first",
    query: listQuery.extend({ status: z.enum(SUBSCRIPTION_STATUSES).optional(), customer: z.string().min(1).optional(), plan: z.string().min(1).optional() }),
    response: listOf(subscriptionObject),
    handler: async ({ ctx, query }) =>
      toList(
        await listSubscriptions(ctx, { limit: query.limit, startingAfter: query.starting_after, status: query.status, customerId: query.customer, planId: query.plan }),
        toSubscription,
      ),
  }),
  route({
    method: "GET",
    path: "/subscriptions/{id}",
    tag: "Subscriptions",
    summary: "Retrieve a subscription",
    response: subscriptionObject,
    handler: async ({ ctx, params }) => toSubscription(await getSubscription(ctx, params.id!)),
  }),
  route({
    method: "GET",
    path: "/subscriptions/{id}/timeline",
    tag: "Subscriptions",
    summary: "What happened to a subscription and what is scheduled (charges, retries, notices, withdrawal), oldest first",
    response: listOf(timelineEntryObject),
    handler: async ({ ctx, params }) => {
      const entries = await subscriptionTimeline(ctx, params.id!);
      const wording = japaneseTimelineWording(await getMerchantTimeZone(ctx));
      return { object: "list" as const, data: entries.map((entry) => toTimelineEntry(entry, wording)), has_more: false };
    },
  }),
  route({
    method: "POST",
    path: "/subscriptions/{id}/cancel",
    tag: "Subscriptions",
    summary: "Cancel a subscription at the end of its paid period (default) or now; an overdue one ends now. 409 when already ended or already set to end.",
    body: z.strictObject({ at_period_end: cancelSubscriptionInput.shape.atPeriodEnd, reason: cancelSubscriptionInput.shape.reason }),
    response: subscriptionObject,
    handler: async ({ ctx, params, body }) => {
      await cancelSubscription(ctx, { subscriptionId: params.id!, atPeriodEnd: body.at_period_end, reason: body.reason });
      return toSubscription(await getSubscription(ctx, params.id!));
    },
  }),
  route({
    method: "POST",
    path: "/subscriptions/{id}/resume",
    tag: "Subscriptions",
    summary:
      "Resume a subscription. Set to cancel at period end: the cancellation is withdrawn. Paused: it un-pauses — the next charge falls on the paid-through date, " +
      "or, when that has passed, a new cycle starts today and is charged at once (402 card_error when declined: the subscription is then past_due with its retries planned). " +
      "Canceled or withdrawn with paid time left (current_period_end ahead): restored with no charge. Canceled or withdrawn after its paid-through date: a new first period " +
      "starts today by the plan's rule, charged at once (402 card_error when declined; nothing changes). 409 for any other subscription.",
    body: z.strictObject({}),
    response: subscriptionObject,
    handler: async ({ ctx, params }) => {
      await resumeSubscription(ctx, { subscriptionId: params.id! });
      return toSubscription(await getSubscription(ctx, params.id!));
    },
  }),
  route({
    method: "POST",
    path: "/subscriptions/{id}/retry",
    tag: "Subscriptions",
    summary:
      "Retry the overdue invoice of a past_due, unpaid or incomplete subscription now, or plan a retry at `at`. 402 card_error when the retry now is declined; 409 when nothing is owed.",
    body: z.strictObject({ at: isoTime(retryPaymentInput.shape.at).describe("Retry at this time instead of now (at most a year ahead)") }),
    response: subscriptionObject,
    handler: async ({ ctx, params, body }) => {
      const { subscription } = await retryPayment(ctx, { subscriptionId: params.id!, at: body.at });
      return toSubscription(await getSubscription(ctx, subscription.id));
    },
  }),
  route({
    method: "POST",
    path: "/subscriptions/{id}/charges",
    tag: "Subscriptions",
    summary:
      "Charge an additional amount to the card on file (also collects an unpaid balance). 402 card_error with the void `invoice` id when declined; " +
      "409 card_on_file_window_exceeded when the last successful payment is older than the merchant's card-on-file window.",
    body: z.strictObject({
      amount: charge.amount,
      description: charge.description,
      extend_paid_through: charge.extendPaidThrough,
      send_mail: charge.sendMail.describe("Send the receipt (renewal) mail"),
    }),
    response: invoiceObject,
    handler: async ({ ctx, params, body, idempotencyKey }) =>
      toInvoice(
        await chargeAdditional(ctx, {
          subscriptionId: params.id!,
          amount: body.amount,
          description: body.description,
          extendPaidThrough: body.extend_paid_through,
          sendMail: body.send_mail,
          requestKey: effectKey(params.id!, idempotencyKey),
        }),
      ),
  }),
  route({
    method: "POST",
    path: "/subscriptions/{id}/usage_records",
    tag: "Subscriptions",
    summary: "Record usage of a metric the plan prices; it is billed on the next renewal invoice",
    body: z.strictObject({ metric: usage.metric, quantity: usage.quantity, timestamp: isoTime(usage.timestamp).describe("When the usage happened; default now") }),
    response: usageRecordObject,
    handler: async ({ ctx, params, body, idempotencyKey }) =>
      toUsageRecord(
        await recordUsage(ctx, { subscriptionId: params.id!, metric: body.metric, quantity: body.quantity, timestamp: body.timestamp, idempotencyKey: effectKey(params.id!, idempotencyKey) }),
      ),
  }),
  route({
    method: "POST",
    path: "/subscriptions/{id}/pause",
    tag: "Subscriptions",
    summary:
      "Pause collection: status `paused`, no renewals, retries or dunning while paused; the paid-through date is kept. With `resume_at` it un-pauses by itself then " +
      "(as POST /subscriptions/{id}/resume does). Only an active or trialing subscription pauses (a trial's end date is kept like a paid-through date); 409 for an overdue one " +
      "(it must pay or be canceled) or one set to cancel at period end.",
    body: z.strictObject({ resume_at: isoTime(pauseSubscriptionInput.shape.resumeAt).describe("Un-pause by itself at this time (in the future, at most about 3 years ahead)") }),
    response: subscriptionObject,
    handler: async ({ ctx, params, body }) => {
      await pauseSubscription(ctx, { subscriptionId: params.id!, resumeAt: body.resume_at });
      return toSubscription(await getSubscription(ctx, params.id!));
    },
  }),
  route({
    method: "POST",
    path: "/subscriptions/{id}/change_plan",
    tag: "Subscriptions",
    summary:
      "Change plan, `now` or at `period_end` (the next renewal bills the new plan). Now with `daily` proration (日割): one invoice credits the old plan's unused days and " +
      "charges the new plan's, each line rounded down, charged at once (402 card_error when declined: nothing changes); a downgrade's net credit is carried to the next " +
      "invoices, never paid out; an interval or billing-day change starts the new plan's cycle today. Now with `none`: the new plan applies at once and is billed from the " +
      "paid-through date, nothing is charged or credited now. Same currency only; daily proration needs the same tax treatment on both plans. Changing to the current plan " +
      "withdraws a pending change. 409 unless active or trialing.",
    body: z.strictObject({ plan: changePlanInput.shape.planId, when: changePlanInput.shape.when, proration: changePlanInput.shape.proration }),
    response: subscriptionObject,
    handler: async ({ ctx, params, body }) => {
      await changePlan(ctx, { subscriptionId: params.id!, planId: body.plan, when: body.when, proration: body.proration });
      return toSubscription(await getSubscription(ctx, params.id!));
    },
  }),
  route({
    method: "POST",
    path: "/subscriptions/{id}/change_plan/preview",
    tag: "Subscriptions",
    summary: "What POST /subscriptions/{id}/change_plan would do with the same body, with nothing written: the invoice it would charge now (or null) and the next renewal.",
    body: z.strictObject({ plan: changePlanInput.shape.planId, when: changePlanInput.shape.when, proration: changePlanInput.shape.proration }),
    response: planChangePreviewObject,
    handler: async ({ ctx, params, body }) => toPlanChangePreview(await previewPlanChange(ctx, { subscriptionId: params.id!, planId: body.plan, when: body.when, proration: body.proration })),
  }),
  route({
    method: "POST",
    path: "/subscriptions/{id}/payment_method",
    tag: "Subscriptions",
    summary:
      "Set the card the subscription is charged on (a payment method of its customer). When it owes an invoice (incomplete, past_due, unpaid) that invoice is retried at " +
      "once on the new card — one attempt — and a paid retry returns it to active (an incomplete one starts its first period). 402 card_error when that retry is " +
      "declined (the new card stays set).",
    body: z.strictObject({ payment_method: updatePaymentMethodInput.shape.paymentMethodId }),
    response: subscriptionObject,
    handler: async ({ ctx, params, body }) => {
      await updateSubscriptionPaymentMethod(ctx, { subscriptionId: params.id!, paymentMethodId: body.payment_method });
      return toSubscription(await getSubscription(ctx, params.id!));
    },
  }),
];
