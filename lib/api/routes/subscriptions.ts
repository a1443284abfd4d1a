import { createHash } from "node:crypto";
import { z } from "zod";
import { SUBSCRIPTION_STATUSES } from "@/lib/billing/subscription-state";
import { cancelSubscription, cancelSubscriptionInput } from "@/lib/services/cancel-subscription";
import { chargeAdditional, chargeAdditionalInput } from "@/lib/services/charge-additional";
import { createSubscription, createSubscriptionInput } from "@/lib/services/create-subscription";
import { ServiceError } from "@/lib/services/errors";
import { getSubscription, listSubscriptions, subscriptionTimeline } from "@/lib/services/queries/subscriptions";
import { recordUsage, recordUsageInput } from "@/lib/services/record-usage";
import { resumeSubscription } from "@/lib/services/resume-subscription";
import { retryPayment, retryPaymentInput } from "@/lib/services/retry-payment";
import { ApiError } from "../errors";
import { listOf, listQuery, toList } from "../list";
import { invoiceObject, toInvoice } from "../objects/invoices";
import { subscriptionObject, timelineEntryObject, toSubscription, toTimelineEntry, toUsageRecord, usageRecordObject } from "../objects/subscriptions";
import { route } from "../router";

const create = createSubscriptionInput.shape;
const charge = chargeAdditionalInput.shape;
const usage = recordUsageInput.shape;

/** A time in the API is an ISO 8601 string with its offset; the service's own field rule then applies. */
const isoTime = (field: z.ZodType<Date | null | undefined>) =>
  // The service's field coerces anything; its input type is `unknown`, which zod's pipe typing wants as a string.
  z.iso.datetime({ offset: true }).pipe(field as z.ZodType<Date | null | undefined, string>).nullish();

/** A declined card: 402 card_error, naming the objects the caller follows up on. */
function cardDeclined(message: string, declineCode: string | undefined, refs: Record<string, string | null | undefined>): ApiError {
  const extra: Record<string, string> = {};
  if (declineCode) extra.decline_code = declineCode;
  for (const [name, id] of Object.entries(refs)) if (id) extra[name] = id;
  return new ApiError(402, "card_error", "card_declined", message, null, extra);
}

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
      "and can be retried (POST /subscriptions/{id}/retry) or canceled.",
    body: z.strictObject({
      customer: create.customerId,
      plan: create.planId,
      payment_method: create.paymentMethodId.describe("Defaults to the customer's default payment method"),
    }),
    response: subscriptionObject,
    handler: async ({ ctx, body }) => {
      const { subscription, firstPayment } = await createSubscription(ctx, { customerId: body.customer, planId: body.plan, paymentMethodId: body.payment_method });
      if (firstPayment?.status === "failed") {
        throw cardDeclined(
          `The first payment was declined (${firstPayment.failureCode ?? "card_declined"}); the subscription stays incomplete until a retry succeeds`,
          firstPayment.failureCode,
          { subscription: subscription.id, invoice: subscription.overdueInvoiceId },
        );
      }
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
    handler: async ({ ctx, params }) => ({ object: "list" as const, data: (await subscriptionTimeline(ctx, params.id!)).map(toTimelineEntry), has_more: false }),
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
      "Resume a subscription: withdraws a pending end-of-period cancellation, or restarts a canceled or withdrawn one with a new first period charged by the plan's rule " +
      "(402 card_error when that charge is declined; nothing changes). 409 for a subscription that is not canceled, withdrawn or set to cancel.",
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
      const { subscription, payment } = await retryPayment(ctx, { subscriptionId: params.id!, at: body.at });
      if (payment?.status === "failed") {
        throw cardDeclined(`The retry was declined (${payment.failureCode ?? "card_declined"})`, payment.failureCode, {
          subscription: subscription.id,
          invoice: subscription.overdueInvoiceId,
        });
      }
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
    handler: async ({ ctx, params, body, idempotencyKey }) => {
      try {
        const invoice = await chargeAdditional(ctx, {
          subscriptionId: params.id!,
          amount: body.amount,
          description: body.description,
          extendPaidThrough: body.extend_paid_through,
          sendMail: body.send_mail,
          requestKey: effectKey(params.id!, idempotencyKey),
        });
        return toInvoice(invoice);
      } catch (error) {
        if (error instanceof ServiceError && error.code === "payment_declined") {
          throw cardDeclined(error.message, error.details.declineCode, { subscription: params.id, invoice: error.details.invoiceId });
        }
        throw error;
      }
    },
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
];
