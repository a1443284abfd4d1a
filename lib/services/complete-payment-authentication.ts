import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { customers, invoices, merchants, paymentAttempts, paymentMethods, plans, products, subscriptions } from "@/db/schema";
import { AUTHENTICATION_REQUIRED } from "@/lib/billing/decline";
import { isEnded, type SubscriptionStatus } from "@/lib/billing/subscription-state";
import type { AuthenticationStep, ChargeResult, PaymentGateway } from "@/lib/gateways/payment-gateway";
import type { Locale } from "@/lib/i18n/locales";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { conflict, notFound, parseInput, ServiceError } from "./errors";
import { lockContract } from "./internal/contract";
import { lockInvoices } from "./internal/invoicing";
import { recordAudit } from "./internal/audit";
import { type AttemptRow, gatewayOf, openAttempts, recordAttemptResults } from "./internal/payment-attempts";
import { settleAnsweredAttempt } from "./internal/settlement";

/**
 * Where an invoice stands for the page that authenticates its declined charge (a payment_authentication mail's link):
 * - `awaiting`: open, its charge waits for the customer to authenticate it;
 * - `paid`: paid (by this page, a new card, a retry…): nothing more to do;
 * - `ended`: the contract has ended, or the invoice was written off or voided: it can no longer be paid here;
 * - `unavailable`: open, but there is no charge to authenticate here (none was declined for authentication, or its
 *   gateway cannot authenticate after the fact): the customer pays by updating the card.
 */
export type PaymentAuthenticationState = "awaiting" | "paid" | "ended" | "unavailable";

export type PaymentAuthenticationView = {
  invoiceId: string;
  subscriptionId: string;
  state: PaymentAuthenticationState;
  merchantName: string;
  customerName: string;
  locale: Locale;
  timeZone: string;
  productName: string;
  planName: string | null;
  amount: number;
  currency: string;
  periodStart: Date | null;
  periodEnd: Date | null;
  paidAt: Date | null;
  contractStatus: SubscriptionStatus;
};

export const paymentAuthenticationInput = z.object({
  invoiceId: z.string().min(1).max(100),
  /** Where the gateway sends the customer back after the issuer's page (Stripe's redirect); unused by framed challenges. */
  returnUrl: z.string().url().max(2000).optional(),
});

/** An invoice of the caller's (an end user: their own only; another's is not found, as an unknown id). */
async function loadInvoice(ctx: ServiceContext, invoiceId: string) {
  const [row] = await ctx.db
    .select({
      invoice: invoices,
      contractStatus: subscriptions.status,
      merchantName: merchants.name,
      senderName: merchants.senderName,
      timeZone: merchants.timeZone,
      customerName: customers.name,
      locale: customers.locale,
      productName: products.name,
      planName: plans.name,
    })
    .from(invoices)
    .innerJoin(subscriptions, eq(subscriptions.id, invoices.subscriptionId))
    .innerJoin(merchants, eq(merchants.id, invoices.merchantId))
    .innerJoin(customers, and(eq(customers.id, invoices.customerId), eq(customers.merchantId, invoices.merchantId)))
    .innerJoin(plans, eq(plans.id, subscriptions.planId))
    .innerJoin(products, eq(products.id, plans.productId))
    .where(and(eq(invoices.id, invoiceId), eq(invoices.merchantId, ctx.merchantId)));
  if (!row) throw notFound("invoice", invoiceId, "invoice");
  authorize(ctx.actor, "contracts.operate", { customerId: row.invoice.customerId, what: "invoice", id: invoiceId });
  return row;
}

/** The invoice's latest charge declined for authentication, with the gateway that made it (if it can authenticate after the fact). */
async function chargeToAuthenticate(ctx: ServiceContext, invoiceId: string): Promise<{ attempt: AttemptRow; chargeId: string; gateway: PaymentGateway & Required<Pick<PaymentGateway, "authentications">> } | null> {
  const [row] = await ctx.db
    .select({ attempt: paymentAttempts, gateway: paymentMethods.gateway })
    .from(paymentAttempts)
    .innerJoin(paymentMethods, eq(paymentMethods.id, paymentAttempts.paymentMethodId))
    .where(and(eq(paymentAttempts.invoiceId, invoiceId), eq(paymentAttempts.merchantId, ctx.merchantId), eq(paymentAttempts.status, "failed"), eq(paymentAttempts.failureCode, AUTHENTICATION_REQUIRED)))
    .orderBy(desc(paymentAttempts.attemptNumber))
    .limit(1);
  if (!row?.attempt.gatewayChargeId) return null;
  const gateway = await gatewayOf(ctx.gateways, ctx.merchantId, row.gateway);
  if (!gateway?.authentications) return null;
  return { attempt: row.attempt, chargeId: row.attempt.gatewayChargeId, gateway: gateway as PaymentGateway & Required<Pick<PaymentGateway, "authentications">> };
}

function stateOf(invoice: typeof invoices.$inferSelect, contractStatus: SubscriptionStatus, payable: boolean): PaymentAuthenticationState {
  if (invoice.status === "paid") return "paid";
  if (invoice.status !== "open" || isEnded(contractStatus)) return "ended";
  return payable ? "awaiting" : "unavailable";
}

/** What the authentication page shows: whose invoice, for what and which period, and where it stands. */
export async function getPaymentAuthenticationView(ctx: ServiceContext, invoiceId: string): Promise<PaymentAuthenticationView> {
  const row = await loadInvoice(ctx, invoiceId);
  const { invoice } = row;
  const payable = invoice.status === "open" && (await chargeToAuthenticate(ctx, invoice.id)) !== null;
  return {
    invoiceId: invoice.id,
    subscriptionId: invoice.subscriptionId,
    state: stateOf(invoice, row.contractStatus, payable),
    merchantName: row.senderName ?? row.merchantName,
    customerName: row.customerName,
    locale: row.locale,
    timeZone: row.timeZone,
    productName: row.productName,
    planName: row.planName,
    amount: invoice.total,
    currency: invoice.currency,
    periodStart: invoice.periodStart,
    periodEnd: invoice.periodEnd,
    paidAt: invoice.paidAt,
    contractStatus: row.contractStatus,
  };
}

export type AuthenticationOutcome = { status: "paid" | "already_paid"; invoiceId: string };

/** Where the invoice stands, and its charge declined for authentication (of an open or a paid invoice). */
async function awaiting(ctx: ServiceContext, invoiceId: string) {
  const row = await loadInvoice(ctx, invoiceId);
  const charge = row.invoice.status === "open" || row.invoice.status === "paid" ? await chargeToAuthenticate(ctx, invoiceId) : null;
  const state = stateOf(row.invoice, row.contractStatus, charge !== null);
  return { row, charge, state };
}

/**
 * The customer starts authenticating the charge the issuer refused: the gateway's step for that very charge (never a
 * new one): its challenge page (framed, the sandbox's), the issuer's page to go to and come back from (Stripe's
 * redirect), or the client secret for the gateway's script. A charge the gateway already took is recorded as paid at
 * once. Started twice, it is the same step.
 */
export async function startPaymentAuthentication(ctx: ServiceContext, input: z.input<typeof paymentAuthenticationInput>): Promise<AuthenticationStep | AuthenticationOutcome> {
  const data = parseInput(paymentAuthenticationInput, input);
  const { charge, state } = await awaiting(ctx, data.invoiceId);
  if (state === "paid") return { status: "already_paid", invoiceId: data.invoiceId };
  if (state !== "awaiting" || !charge) throw conflict(`This invoice cannot be paid by authentication (${state})`, state);
  const step = await askGateway(() => charge.gateway.authentications.start({ chargeId: charge.chargeId, returnUrl: data.returnUrl ?? "" }));
  if (step.status === "requires_action") return step;
  return settleAuthenticated(ctx, charge, step);
}

/**
 * The customer is back from authenticating (the challenge answered, or the issuer's page returned): the gateway is
 * asked what became of the charge, and a success is recorded through the usual settlement as a new attempt of the
 * invoice carrying the same gateway charge — paid, the contract recovers (decideInvoicePaid). Nothing is charged here,
 * and asking again (a reload, a second click) changes nothing. An invoice paid meanwhile another way whose declined
 * charge the customer authenticated all the same (the issuer's page left open) took the money twice: that charge
 * is booked and told to staff (invoice.paid_twice), the contract left as it is. A charge still not authenticated is
 * `payment_declined` (reason authentication_required, or the gateway's failure code); one the gateway is still
 * working on is `unavailable`.
 */
export async function completePaymentAuthentication(ctx: ServiceContext, input: z.input<typeof paymentAuthenticationInput>): Promise<AuthenticationOutcome> {
  const data = parseInput(paymentAuthenticationInput, input);
  const { charge, state } = await awaiting(ctx, data.invoiceId);
  const alreadyPaid = { status: "already_paid", invoiceId: data.invoiceId } as const;
  if (state === "paid") {
    if (!charge || (await chargeBooked(ctx, data.invoiceId, charge.chargeId))) return alreadyPaid;
    const late = await askGateway(() => charge.gateway.authentications.confirm({ chargeId: charge.chargeId }));
    return late.status === "succeeded" ? settleAuthenticated(ctx, charge, late) : alreadyPaid;
  }
  if (state !== "awaiting" || !charge) throw conflict(`This invoice cannot be paid by authentication (${state})`, state);
  const result = await askGateway(() => charge.gateway.authentications.confirm({ chargeId: charge.chargeId }));
  return settleAuthenticated(ctx, charge, result);
}

/** Whether this gateway charge is already booked as a payment of the invoice. */
async function chargeBooked(ctx: Pick<ServiceContext, "db">, invoiceId: string, chargeId: string): Promise<boolean> {
  const [row] = await ctx.db
    .select({ id: paymentAttempts.id })
    .from(paymentAttempts)
    .where(and(eq(paymentAttempts.invoiceId, invoiceId), eq(paymentAttempts.status, "succeeded"), eq(paymentAttempts.gatewayChargeId, chargeId)));
  return row !== undefined;
}

async function askGateway<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new ServiceError("unavailable", `The payment gateway did not answer (${(error as Error).message})`, { reason: "gateway_unavailable" });
  }
}

async function settleAuthenticated(
  ctx: ServiceContext,
  charge: NonNullable<Awaited<ReturnType<typeof chargeToAuthenticate>>>,
  result: ChargeResult | { status: "in_progress" },
): Promise<AuthenticationOutcome> {
  const invoiceId = charge.attempt.invoiceId;
  if (result.status === "in_progress") throw new ServiceError("unavailable", "The payment gateway is still processing this payment", { reason: "in_progress", invoiceId });
  if (result.status === "failed") {
    throw new ServiceError("payment_declined", `The payment was not authenticated (${result.failureCode})`, { reason: result.failureCode, declineCode: result.failureCode, declineKind: "authentication", invoiceId });
  }
  const [invoiceRow] = await ctx.db.select({ subscriptionId: invoices.subscriptionId }).from(invoices).where(eq(invoices.id, invoiceId));
  const subscriptionId = invoiceRow!.subscriptionId;
  // One transaction opens the attempt and settles it with the answer already in hand: no attempt is ever left in
  // flight for a janitor to replay (which would charge the card again), and of two requests at once the second finds
  // the invoice paid behind the contract's lock.
  return ctx.db.transaction(async (tx) => {
    const contract = await lockContract(tx, ctx.merchantId, subscriptionId, ctx.clock);
    const invoice = (await lockInvoices(tx, [invoiceId])).get(invoiceId)!;
    if (await chargeBooked({ db: tx }, invoiceId, result.chargeId)) return { status: "already_paid", invoiceId };
    const [inFlight] = await tx.select({ id: paymentAttempts.id }).from(paymentAttempts).where(and(eq(paymentAttempts.invoiceId, invoiceId), eq(paymentAttempts.status, "pending")));
    if (inFlight) throw new ServiceError("unavailable", "Another payment of this invoice is in progress", { reason: "in_progress", invoiceId });
    const input = { paymentMethodId: charge.attempt.paymentMethodId, trigger: "authentication" as const, actionId: null, at: contract.now };
    if (invoice.status === "paid") {
      // Paid meanwhile another way (a new card, with the issuer's page still open): this charge took the money a
      // second time. It is recorded, never left unbooked, and told to staff to give back; the contract is not moved.
      const [prepared] = await openAttempts(tx, [{ invoice, input }]);
      await recordAttemptResults(tx, [{ attempt: prepared!.attempt, result, at: contract.now }]);
      await recordAudit(tx, ctx, { action: "invoice.paid_twice", targetType: "invoice", targetId: invoiceId, data: { gatewayChargeId: result.chargeId, amount: invoice.total, currency: invoice.currency }, at: contract.now });
      return { status: "already_paid", invoiceId };
    }
    if (invoice.status !== "open") throw conflict(`A ${invoice.status} invoice is not paid by authentication`, "ended");
    const settled = await settleAnsweredAttempt(tx, ctx, invoice, input, result);
    return { status: settled.status === "paid" ? "paid" : "already_paid", invoiceId };
  });
}
