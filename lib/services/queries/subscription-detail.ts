import { and, asc, eq, ne, sql } from "drizzle-orm";
import { customers, invoices, merchants, paymentMethods, plans, products, scheduledActions, testClocks } from "@/db/schema";
import { localDateOf } from "@/lib/billing/calendar";
import { isCardExpired } from "@/lib/billing/card-expiry";
import type { ContractFacts } from "@/lib/billing/contract";
import { decideDueAction } from "@/lib/billing/decisions/due-action";
import type { BillingInterval, UsageRate } from "@/lib/billing/plan";
import { type ActionKind, CHARGE_ACTION_KINDS } from "@/lib/billing/scheduled-action";
import { isEnded, isOverdue } from "@/lib/billing/subscription-state";
import { invoiceTotals } from "@/lib/billing/tax";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { planFacts } from "../internal/contract";
import { unbilledUsage } from "../internal/usage";
import { getSubscription, type SubscriptionView } from "./subscriptions";

type DetailContext = Pick<ServiceContext, "db" | "merchantId" | "clock">;

/** A card as the console shows it: never more than the gateway's display facts. */
export type CardOnFile = { id: string; brand: string; last4: string; expMonth: number; expYear: number; detached: boolean; expiry: "ok" | "expiring" | "expired" };

export type PlanSummary = { id: string; name: string; productId: string; productName: string; amount: number; currency: string; interval: BillingInterval; usageRates: UsageRate[] };

/** The next time the contract's card is to be charged, and for how much as things stand now. */
export type NextCharge = { at: Date; kind: ActionKind; total: number; currency: string; usageIncluded: boolean };

/** One contract as its detail page shows it: the row and everything around it that the page and its actions need. */
export type SubscriptionDetail = {
  subscription: SubscriptionView;
  /** The contract's own time: its test clock's frozen time, or now. */
  now: Date;
  testClock: { id: string; name: string | null; frozenTime: Date } | null;
  timeZone: string;
  cardOnFileWindowDays: number;
  customer: { id: string; name: string; email: string };
  plan: PlanSummary;
  pendingPlan: { id: string; name: string } | null;
  card: CardOnFile | null;
  nextCharge: NextCharge | null;
  /** The open invoice a manual retry would collect (as retryPayment finds it), if any. */
  owedInvoice: { id: string; total: number; currency: string } | null;
  /** Plans the contract could change to: the merchant's other active plans in its currency. */
  planChoices: PlanSummary[];
};

/**
 * A contract of the merchant with its customer, plan, card, what it owes and what it is charged next; `not_found`
 * for an id that is not the merchant's (the page answers 404, as for an unknown id).
 */
export async function getSubscriptionDetail(ctx: DetailContext, id: string): Promise<SubscriptionDetail> {
  const subscription = await getSubscription(ctx, id);
  const [row] = await ctx.db
    .select({ customer: customers, plan: plans, product: products, merchant: merchants })
    .from(customers)
    .innerJoin(plans, eq(plans.id, subscription.planId))
    .innerJoin(products, eq(products.id, plans.productId))
    .innerJoin(merchants, eq(merchants.id, customers.merchantId))
    .where(and(eq(customers.id, subscription.customerId), eq(customers.merchantId, ctx.merchantId)));
  if (!row) throw notFound("subscription", id, "id");
  const { customer, plan, product, merchant } = row;
  const [clock] = subscription.testClockId ? await ctx.db.select().from(testClocks).where(eq(testClocks.id, subscription.testClockId)) : [];
  const now = clock?.frozenTime ?? ctx.clock.now();
  const facts: ContractFacts = {
    id: subscription.id,
    state: subscription,
    plan: planFacts(plan, product),
    settings: merchant.billingSettings,
    timeZone: merchant.timeZone,
    now,
  };
  const [card, pendingPlan, nextCharge, owedInvoice, planChoices] = await Promise.all([
    cardOnFile(ctx, subscription.paymentMethodId, facts),
    subscription.pendingPlanId ? planSummary(ctx, subscription.pendingPlanId) : null,
    nextChargeOf(ctx, facts),
    owedInvoiceOf(ctx, subscription),
    planChoicesFor(ctx, plan),
  ]);
  return {
    subscription,
    now,
    testClock: clock ? { id: clock.id, name: clock.name, frozenTime: clock.frozenTime } : null,
    timeZone: merchant.timeZone,
    cardOnFileWindowDays: merchant.billingSettings.cardOnFileWindowDays,
    customer: { id: customer.id, name: customer.name, email: customer.email },
    plan: toSummary(plan, product),
    pendingPlan: pendingPlan ? { id: pendingPlan.id, name: pendingPlan.name } : null,
    card,
    nextCharge,
    owedInvoice,
    planChoices,
  };
}

function toSummary(plan: typeof plans.$inferSelect, product: typeof products.$inferSelect): PlanSummary {
  return {
    id: plan.id,
    name: plan.name ?? product.name,
    productId: product.id,
    productName: product.name,
    amount: plan.amount,
    currency: plan.currency,
    interval: plan.interval,
    usageRates: plan.usageRates,
  };
}

async function planSummary(ctx: DetailContext, planId: string): Promise<PlanSummary | null> {
  const [row] = await ctx.db
    .select({ plan: plans, product: products })
    .from(plans)
    .innerJoin(products, eq(products.id, plans.productId))
    .where(and(eq(plans.id, planId), eq(plans.merchantId, ctx.merchantId)));
  return row ? toSummary(row.plan, row.product) : null;
}

/** At most this many plans are offered in the change-plan dialog; a merchant with more picks by product first. */
const PLAN_CHOICES = 200;

/** The merchant's other active plans in the contract's currency: the contract's own product's first, then by product. */
async function planChoicesFor(ctx: DetailContext, current: typeof plans.$inferSelect): Promise<PlanSummary[]> {
  const rows = await ctx.db
    .select({ plan: plans, product: products })
    .from(plans)
    .innerJoin(products, eq(products.id, plans.productId))
    .where(and(eq(plans.merchantId, ctx.merchantId), eq(plans.active, true), eq(plans.currency, current.currency), ne(plans.id, current.id)))
    .orderBy(sql`${plans.productId} = ${current.productId} desc`, asc(products.name), asc(plans.amount), asc(plans.id))
    .limit(PLAN_CHOICES);
  return rows.map((r) => toSummary(r.plan, r.product));
}

async function cardOnFile(ctx: DetailContext, paymentMethodId: string | null, facts: ContractFacts): Promise<CardOnFile | null> {
  if (!paymentMethodId) return null;
  const [card] = await ctx.db
    .select()
    .from(paymentMethods)
    .where(and(eq(paymentMethods.id, paymentMethodId), eq(paymentMethods.merchantId, ctx.merchantId)));
  if (!card) return null;
  const today = localDateOf(facts.now, facts.timeZone);
  const month = { year: today.year, month: today.month };
  // Expiring: usable through this month only (the month its expiry notice goes out, seed 000).
  const expiry = isCardExpired(card.expMonth, card.expYear, month) ? "expired" : card.expYear === month.year && card.expMonth === month.month ? "expiring" : "ok";
  return { id: card.id, brand: card.brand, last4: card.last4, expMonth: card.expMonth, expYear: card.expYear, detached: card.status === "detached", expiry };
}

/**
 * The earliest pending charge (renewal, trial end, retry, final invoice), priced by the same decision the runner
 * takes when it falls due (decideDueAction), with the usage recorded so far: what it would charge if nothing else
 * happened before then. Null when nothing is to be charged.
 */
async function nextChargeOf(ctx: DetailContext, facts: ContractFacts): Promise<NextCharge | null> {
  const pending = await ctx.db
    .select()
    .from(scheduledActions)
    .where(and(eq(scheduledActions.merchantId, ctx.merchantId), eq(scheduledActions.subscriptionId, facts.id), eq(scheduledActions.status, "pending")))
    .orderBy(asc(scheduledActions.dueAt), asc(scheduledActions.id));
  const action = pending.find((a) => CHARGE_ACTION_KINDS.includes(a.kind));
  if (!action) return null;
  const pendingPlan = facts.state.pendingPlanId ? await pendingPlanFacts(ctx, facts.state.pendingPlanId) : null;
  const priced = facts.plan.usageRates.length > 0 || (pendingPlan?.usageRates.length ?? 0) > 0;
  // The usage a period's invoice bills: recorded before the period starts (a final invoice: everything so far).
  const before = action.kind === "renewal" || action.kind === "trial_end" ? action.dueAt : new Date(facts.now.getTime() + 1);
  const usage = priced ? ((await unbilledUsage(ctx.db, [{ subscriptionId: facts.id, before }])).get(facts.id) ?? []) : [];
  const decision = decideDueAction(facts, action, { usage, pendingPlan });
  const base = { at: action.dueAt, kind: action.kind, currency: facts.plan.currency, usageIncluded: usage.length > 0 };
  if ("charge" in decision) {
    // Taxed as issueInvoices does: by the contract's plan.
    const { total } = invoiceTotals(decision.charge.lines.map((l) => ({ amount: l.amount, taxRate: facts.plan.taxRate })), facts.plan.taxBehavior);
    return { ...base, total };
  }
  if ("collect" in decision) {
    const [invoice] = await ctx.db
      .select({ total: invoices.total, currency: invoices.currency })
      .from(invoices)
      .where(and(eq(invoices.id, decision.collect), eq(invoices.merchantId, ctx.merchantId)));
    return invoice ? { ...base, total: invoice.total, currency: invoice.currency } : null;
  }
  // A free period starts with no invoice; a skipped action charges nothing.
  return "apply" in decision ? { ...base, total: 0 } : null;
}

async function pendingPlanFacts(ctx: DetailContext, planId: string) {
  const [row] = await ctx.db
    .select({ plan: plans, product: products })
    .from(plans)
    .innerJoin(products, eq(products.id, plans.productId))
    .where(and(eq(plans.id, planId), eq(plans.merchantId, ctx.merchantId)));
  return row ? planFacts(row.plan, row.product) : null;
}

/**
 * What retryPayment would collect (internal/owed-invoice.ts, read without its lock): an overdue contract's open
 * overdue invoice (an incomplete one's open first invoice), or an ended contract's open final invoice.
 */
async function owedInvoiceOf(ctx: DetailContext, sub: SubscriptionView): Promise<SubscriptionDetail["owedInvoice"]> {
  if (!isOverdue(sub.status) && !isEnded(sub.status)) return null;
  const open = await ctx.db
    .select({ id: invoices.id, kind: invoices.kind, total: invoices.total, currency: invoices.currency })
    .from(invoices)
    .where(and(eq(invoices.merchantId, ctx.merchantId), eq(invoices.subscriptionId, sub.id), eq(invoices.status, "open")));
  const owed = isEnded(sub.status)
    ? open.find((i) => i.kind === "final")
    : sub.overdueInvoiceId
      ? open.find((i) => i.id === sub.overdueInvoiceId)
      : sub.status === "incomplete"
        ? open.find((i) => i.kind === "first")
        : undefined;
  return owed ? { id: owed.id, total: owed.total, currency: owed.currency } : null;
}
