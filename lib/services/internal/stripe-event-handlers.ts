import { and, eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { customers, disputes, invoices, paymentAttempts, paymentMethods } from "@/db/schema";
import type { DisputeStatus } from "@/db/schema";
import { mailKeys } from "@/lib/billing/mail-template";
import { formatMoney } from "@/lib/billing/money";
import { stripeCardRef, stripeFailureCode } from "@/lib/gateways/stripe";
import { newId } from "@/lib/ids";
import { formatMailDate } from "@/lib/mail/mail-date";
import type { ServiceContext } from "../context";
import { completePaymentAuthentication } from "../complete-payment-authentication";
import { ServiceError } from "../errors";
import { recordRefundMadeAtGateway } from "../refund-invoice";
import { recordAudit } from "./audit";
import { mailOwners } from "./owner-mail";
import type { AttemptRow } from "./payment-attempts";
import { settleCharges } from "./settlement";

/**
 * What processing an event found. `processed` outcomes changed something or found it already recorded; `ignored`
 * ones are about nothing of ours (another system on the same Stripe account) or a type we do not act on.
 */
export type EventOutcome = { status: "processed" | "ignored"; outcome: string };

/** An event that cannot be processed as things stand and will not be by trying again: staff must look. */
export class NeedsAttention extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NeedsAttention";
  }
}

const idOf = (value: string | { id: string } | null | undefined) => (typeof value === "string" ? value : (value?.id ?? null));

/** Where a contract is in the console: the chargeback mail links there. */
export const contractPath = (subscriptionId: string) => `/console/subscriptions/${subscriptionId}`;

type FoundAttempt = { attempt: AttemptRow; subscriptionId: string; card: { ref: string; gateway: string } | null; invoiceStatus: string };

/**
 * The attempt behind a PaymentIntent: by the idempotency key our charge put in its metadata, else by the
 * PaymentIntent id the attempt recorded. Only this merchant's: an event names nothing of another merchant's.
 */
async function attemptOfPaymentIntent(ctx: ServiceContext, intent: { id: string; metadata?: Stripe.Metadata | null }): Promise<FoundAttempt | null> {
  const key = intent.metadata?.keizoku_idempotency_key;
  const [row] = await ctx.db
    .select({ attempt: paymentAttempts, subscriptionId: invoices.subscriptionId, invoiceStatus: invoices.status, ref: paymentMethods.gatewayRef, gateway: paymentMethods.gateway })
    .from(paymentAttempts)
    .innerJoin(invoices, eq(invoices.id, paymentAttempts.invoiceId))
    .leftJoin(paymentMethods, eq(paymentMethods.id, paymentAttempts.paymentMethodId))
    .where(and(eq(paymentAttempts.merchantId, ctx.merchantId), key ? eq(paymentAttempts.idempotencyKey, key) : eq(paymentAttempts.gatewayChargeId, intent.id)))
    .limit(1);
  if (!row) return null;
  return { attempt: row.attempt, subscriptionId: row.subscriptionId, invoiceStatus: row.invoiceStatus, card: row.ref && row.gateway ? { ref: row.ref, gateway: row.gateway } : null };
}

/**
 * A PaymentIntent's final answer, as our own charge call would have had it. An attempt still in flight (its call
 * not back yet, or left without an answer: "unknown") is settled now, exactly as the call's own answer would settle
 * it; one already settled the same way changes nothing. The two orders of "their event" and "our record" thus end
 * the same. A success for an attempt we recorded as declined means money moved after all: staff must look.
 */
async function paymentIntentSettled(ctx: ServiceContext, intent: Stripe.PaymentIntent, succeeded: boolean): Promise<EventOutcome> {
  const found = await attemptOfPaymentIntent(ctx, intent);
  if (!found) return { status: "ignored", outcome: "not_ours" };
  const { attempt } = found;
  if (attempt.status === "pending") {
    const error = intent.last_payment_error;
    const result = succeeded
      ? { status: "succeeded" as const, chargeId: intent.id }
      : { status: "failed" as const, chargeId: intent.id, failureCode: error ? stripeFailureCode(error) : "card_declined", message: error?.message ?? "The charge failed." };
    const [settled] = await settleCharges(ctx, [{ prepared: { attempt, card: found.card }, result, subscriptionId: found.subscriptionId }]);
    if (settled!.status !== "already_settled") return { status: "processed", outcome: succeeded ? "settled_paid" : "settled_declined" };
  }
  const [now] = await ctx.db.select({ status: paymentAttempts.status, failureCode: paymentAttempts.failureCode }).from(paymentAttempts).where(eq(paymentAttempts.id, attempt.id));
  if (succeeded && now?.status === "failed") return paidAfterDecline(ctx, intent, attempt, now.failureCode);
  // A decline after our recorded success is an older event arriving late: the success stands.
  return { status: "processed", outcome: "already_recorded" };
}

/**
 * Stripe took a payment whose attempt we recorded as declined. A charge the issuer held for authentication that the
 * customer then passed (on Stripe's page, without coming back to ours) is recorded as the payment page would record
 * it; one already recorded so changes nothing. Any other is money taken against a recorded decline: staff must look.
 */
async function paidAfterDecline(ctx: ServiceContext, intent: Stripe.PaymentIntent, attempt: AttemptRow, failureCode: string | null): Promise<EventOutcome> {
  const [booked] = await ctx.db
    .select({ id: paymentAttempts.id })
    .from(paymentAttempts)
    .where(and(eq(paymentAttempts.invoiceId, attempt.invoiceId), eq(paymentAttempts.status, "succeeded"), eq(paymentAttempts.gatewayChargeId, intent.id)));
  if (booked) return { status: "processed", outcome: "already_recorded" };
  const amount = formatMoney({ amount: intent.amount, currency: intent.currency.toUpperCase() });
  if (failureCode === "authentication_required") {
    try {
      const outcome = await completePaymentAuthentication(ctx, { invoiceId: attempt.invoiceId });
      return { status: "processed", outcome: outcome.status === "paid" ? "settled_paid" : "already_recorded" };
    } catch (error) {
      if (error instanceof ServiceError && error.code === "conflict") throw new NeedsAttention(`Stripe took the authenticated payment ${intent.id} (${amount}) of invoice ${attempt.invoiceId}, which can no longer be paid (${error.message}): refund it at Stripe`);
      throw error;
    }
  }
  throw new NeedsAttention(`Stripe took the payment ${intent.id} (${amount}) for attempt ${attempt.id}, which is recorded as declined: check the invoice ${attempt.invoiceId} and refund at Stripe if it was paid otherwise`);
}

/** A refund made at Stripe (its dashboard, or ours): recorded once, from the charge's refunded total. */
async function chargeRefunded(ctx: ServiceContext, charge: Stripe.Charge, eventId: string): Promise<EventOutcome> {
  const intentId = idOf(charge.payment_intent);
  if (!intentId) return { status: "ignored", outcome: "not_ours" };
  const found = await attemptOfPaymentIntent(ctx, { id: intentId, metadata: charge.metadata });
  if (!found || found.attempt.status !== "succeeded") return { status: "ignored", outcome: "not_ours" };
  const outcome = await recordRefundMadeAtGateway(ctx, {
    invoiceId: found.attempt.invoiceId,
    subscriptionId: found.subscriptionId,
    refundedAtGateway: charge.amount_refunded,
    currency: charge.currency,
    gatewayRefundId: charge.refunds?.data[0]?.id ?? null,
    eventId,
  });
  return { status: "processed", outcome: outcome === "recorded" ? "refund_recorded" : "already_recorded" };
}

/**
 * A chargeback, from any of its events (created, updated, closed; in any order): kept in step with the newest
 * event's state. The first event of a dispute also marks the invoice disputed, audits it (the merchant's
 * `invoice.disputed` webhook event) and mails the owners, once.
 */
async function disputeChanged(ctx: ServiceContext, dispute: Stripe.Dispute, occurredAt: Date): Promise<EventOutcome> {
  const intentId = idOf(dispute.payment_intent);
  if (!intentId) return { status: "ignored", outcome: "not_ours" };
  const found = await attemptOfPaymentIntent(ctx, { id: intentId, metadata: null });
  if (!found) return { status: "ignored", outcome: "not_ours" };
  const invoiceId = found.attempt.invoiceId;
  const dueBy = dispute.evidence_details?.due_by ? new Date(dispute.evidence_details.due_by * 1000) : null;
  return ctx.db.transaction(async (tx) => {
    const row = { status: dispute.status as DisputeStatus, amount: dispute.amount, reason: dispute.reason, evidenceDueBy: dueBy, updatedAt: occurredAt };
    const opened = await tx
      .insert(disputes)
      .values({ id: newId("dp"), merchantId: ctx.merchantId, invoiceId, subscriptionId: found.subscriptionId, gateway: "stripe", gatewayDisputeId: dispute.id, currency: dispute.currency.toUpperCase(), openedAt: new Date(dispute.created * 1000), ...row })
      .onConflictDoNothing()
      .returning({ id: disputes.id });
    if (opened.length === 0) {
      // Known already: only a newer state replaces the one kept (events may arrive in any order).
      const updated = await tx
        .update(disputes)
        .set(row)
        .where(and(eq(disputes.merchantId, ctx.merchantId), eq(disputes.gateway, "stripe"), eq(disputes.gatewayDisputeId, dispute.id), sql`${disputes.updatedAt} <= ${occurredAt.toISOString()}`))
        .returning({ id: disputes.id });
      return { status: "processed", outcome: updated.length ? "dispute_updated" : "already_recorded" };
    }
    const [invoice] = await tx
      .update(invoices)
      .set({ disputedAt: sql`coalesce(${invoices.disputedAt}, ${occurredAt.toISOString()}::timestamptz)` })
      .where(eq(invoices.id, invoiceId))
      .returning({ customerId: invoices.customerId });
    await recordAudit(tx, ctx, {
      action: "invoice.disputed",
      targetType: "invoice",
      targetId: invoiceId,
      data: { dispute: dispute.id, amount: dispute.amount, currency: dispute.currency.toUpperCase(), reason: dispute.reason, status: dispute.status },
      at: occurredAt,
    });
    const customerName = invoice ? await customerNameOf(tx, invoice.customerId) : "";
    await mailOwners(tx, {
      merchantId: ctx.merchantId,
      template: "dispute_opened",
      at: ctx.clock.now(),
      variables: (owner, merchant) => ({
        name: customerName,
        invoice_id: invoiceId,
        dispute_amount: formatMoney({ amount: dispute.amount, currency: dispute.currency.toUpperCase() }),
        dispute_reason: dispute.reason,
        evidence_due_by: dueBy ? formatMailDate(dueBy, merchant.timeZone, owner.locale) : "—",
        contract_url: `${ctx.links.baseUrl}${contractPath(found.subscriptionId)}`,
      }),
      idempotencyKey: (owner) => mailKeys.disputeOpened(dispute.id, owner.id),
    });
    return { status: "processed", outcome: "dispute_opened" };
  });
}

async function customerNameOf(tx: ServiceContext["db"], customerId: string): Promise<string> {
  const [row] = await tx.select({ name: customers.name }).from(customers).where(eq(customers.id, customerId));
  return row?.name ?? "";
}

/**
 * A saved card's details changed at Stripe (the card network's account updater: a new expiry, a reissued number):
 * the payment method shows what Stripe now charges. The card's reference is unchanged, so nothing else moves.
 */
async function cardUpdatedAtGateway(ctx: ServiceContext, pm: Stripe.PaymentMethod, eventId: string, occurredAt: Date): Promise<EventOutcome> {
  const customer = idOf(pm.customer);
  if (!customer || !pm.card) return { status: "ignored", outcome: "not_ours" };
  const card = { brand: pm.card.brand, last4: pm.card.last4, expMonth: pm.card.exp_month, expYear: pm.card.exp_year };
  return ctx.db.transaction(async (tx) => {
    const ref = stripeCardRef(customer, pm.id);
    const changed = await tx
      .update(paymentMethods)
      .set(card)
      .where(
        and(
          eq(paymentMethods.merchantId, ctx.merchantId),
          eq(paymentMethods.gateway, "stripe"),
          eq(paymentMethods.gatewayRef, ref),
          sql`(${paymentMethods.brand}, ${paymentMethods.last4}, ${paymentMethods.expMonth}, ${paymentMethods.expYear}) is distinct from (${card.brand}::text, ${card.last4}::text, ${card.expMonth}::int, ${card.expYear}::int)`,
        ),
      )
      .returning({ id: paymentMethods.id, customerId: paymentMethods.customerId });
    if (changed.length === 0) {
      const [known] = await tx.select({ id: paymentMethods.id }).from(paymentMethods).where(and(eq(paymentMethods.merchantId, ctx.merchantId), eq(paymentMethods.gatewayRef, ref)));
      return known ? { status: "processed", outcome: "already_recorded" } : { status: "ignored", outcome: "not_ours" };
    }
    for (const method of changed) {
      await recordAudit(tx, ctx, { action: "payment_method.updated_at_gateway", targetType: "customer", targetId: method.customerId, data: { paymentMethod: method.id, ...card, gatewayEvent: eventId }, at: occurredAt });
    }
    return { status: "processed", outcome: "card_updated" };
  });
}

/**
 * A SetupIntent that succeeded: the checkout or mypage page that started it saves the card when the customer comes
 * back to it, so there is nothing to do here when they did. One whose card we do not hold was left by a customer
 * who never came back; it stays unused at Stripe, and is shown as such.
 */
async function setupSucceeded(ctx: ServiceContext, si: Stripe.SetupIntent): Promise<EventOutcome> {
  const customer = idOf(si.customer);
  const pm = idOf(si.payment_method);
  if (!customer || !pm) return { status: "ignored", outcome: "not_ours" };
  const [known] = await ctx.db
    .select({ id: paymentMethods.id })
    .from(paymentMethods)
    .where(and(eq(paymentMethods.merchantId, ctx.merchantId), eq(paymentMethods.gateway, "stripe"), eq(paymentMethods.gatewayRef, stripeCardRef(customer, pm))));
  return known ? { status: "processed", outcome: "already_recorded" } : { status: "ignored", outcome: "card_not_saved_here" };
}

/** The Stripe event types acted on; every other type is stored and marked ignored. */
export const HANDLED_STRIPE_EVENTS = [
  "payment_intent.succeeded",
  "payment_intent.payment_failed",
  "charge.refunded",
  "charge.dispute.created",
  "charge.dispute.updated",
  "charge.dispute.closed",
  "setup_intent.succeeded",
  "payment_method.automatically_updated",
] as const;

/** Processes one stored Stripe event for its merchant (ctx); throws when it should be tried again. */
export async function handleStripeEvent(ctx: ServiceContext, event: Stripe.Event, occurredAt: Date): Promise<EventOutcome> {
  switch (event.type) {
    case "payment_intent.succeeded":
      return paymentIntentSettled(ctx, event.data.object, true);
    case "payment_intent.payment_failed":
      return paymentIntentSettled(ctx, event.data.object, false);
    case "charge.refunded":
      return chargeRefunded(ctx, event.data.object, event.id);
    case "charge.dispute.created":
    case "charge.dispute.updated":
    case "charge.dispute.closed":
      return disputeChanged(ctx, event.data.object, occurredAt);
    case "setup_intent.succeeded":
      return setupSucceeded(ctx, event.data.object);
    case "payment_method.automatically_updated":
      return cardUpdatedAtGateway(ctx, event.data.object, event.id, occurredAt);
    default:
      return { status: "ignored", outcome: "type_not_handled" };
  }
}
