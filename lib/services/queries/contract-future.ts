import { and, asc, eq } from "drizzle-orm";
import { inList } from "@/db/bulk-write";
import { invoiceLines, invoices, merchants, paymentMethods, scheduledActions, subscriptions, testClocks } from "@/db/schema";
import { type ContractFuture, contractFuture, type FutureInvoice } from "@/lib/billing/contract-future";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { invoiceLineFacts } from "../internal/invoicing";
import { loadPlanFacts } from "../internal/contract";

type ReadContext = Pick<ServiceContext, "db" | "merchantId" | "clock">;

/**
 * A contract's next 12 months as things stand (lib/billing/contract-future.ts): read without locks or writes, from
 * its own time (its test clock's, or now). With `cardFails`, every charge from the next one on is declined.
 */
export async function getContractFuture(ctx: ReadContext, subscriptionId: string, options: { cardFails: boolean; months?: number }): Promise<ContractFuture> {
  const [row] = await ctx.db
    .select({ sub: subscriptions, merchant: merchants, clockTime: testClocks.frozenTime })
    .from(subscriptions)
    .innerJoin(merchants, eq(merchants.id, subscriptions.merchantId))
    .leftJoin(testClocks, eq(testClocks.id, subscriptions.testClockId))
    .where(and(eq(subscriptions.id, subscriptionId), eq(subscriptions.merchantId, ctx.merchantId)));
  if (!row) throw notFound("subscription", subscriptionId, "id");
  const { sub, merchant } = row;
  // Every action the contract ever had: the pending ones run, the others' keys decide what planning them again does.
  const actions = await ctx.db
    .select()
    .from(scheduledActions)
    .where(and(eq(scheduledActions.merchantId, ctx.merchantId), eq(scheduledActions.subscriptionId, sub.id)))
    .orderBy(asc(scheduledActions.id));
  const pending = actions.filter((a) => a.status === "pending");
  const owed = await owedInvoices(ctx, [...new Set(pending.flatMap((a) => (a.invoiceId ? [a.invoiceId] : [])).concat(sub.overdueInvoiceId ? [sub.overdueInvoiceId] : []))]);
  const planIds = [sub.planId, ...(sub.pendingPlanId ? [sub.pendingPlanId] : []), ...owed.flatMap((i) => (i.planId ? [i.planId] : []))];
  const planFacts = await loadPlanFacts(ctx.db, planIds);
  const plan = planFacts.get(sub.planId);
  if (!plan) throw notFound("plan", sub.planId, "plan");
  const [card] = sub.paymentMethodId
    ? await ctx.db
        .select({ expMonth: paymentMethods.expMonth, expYear: paymentMethods.expYear })
        .from(paymentMethods)
        .where(and(eq(paymentMethods.id, sub.paymentMethodId), eq(paymentMethods.status, "active")))
    : [];
  return contractFuture({
    contract: { id: sub.id, state: sub, plan, settings: merchant.billingSettings, timeZone: merchant.timeZone },
    plans: [...planFacts.values()],
    actions: actions.map((a) => ({ id: a.id, key: a.idempotencyKey, kind: a.kind, dueAt: a.dueAt, invoiceId: a.invoiceId, payload: a.payload, status: a.status === "pending" || a.status === "canceled" ? a.status : "done" })),
    invoices: owed,
    card: card ?? null,
    from: row.clockTime ?? ctx.clock.now(),
    cardFails: options.cardFails,
    months: options.months,
  });
}

/** The invoices the schedule refers to, with what the rules need of their lines. */
async function owedInvoices(ctx: ReadContext, ids: readonly string[]): Promise<FutureInvoice[]> {
  if (ids.length === 0) return [];
  const rows = await ctx.db
    .select({ invoice: invoices })
    .from(invoices)
    .where(and(eq(invoices.merchantId, ctx.merchantId), inList(invoices.id, ids)));
  const lines = await invoiceLineFacts(ctx.db, rows.map((r) => r.invoice.id));
  const prorated = await proratedInvoices(ctx, rows.map((r) => r.invoice.id));
  return rows.map(({ invoice }) => ({
    id: invoice.id,
    kind: invoice.kind,
    status: invoice.status,
    total: invoice.total,
    currency: invoice.currency,
    planId: invoice.planId,
    periodStart: invoice.periodStart,
    periodEnd: invoice.periodEnd,
    extendPaidThrough: invoice.extendPaidThrough,
    sendMail: invoice.sendMail,
    hasJoiningFee: lines.get(invoice.id)?.hasJoiningFee ?? false,
    creditCarried: lines.get(invoice.id)?.creditCarried ?? 0,
    creditApplied: invoice.creditApplied,
    attemptCount: invoice.attemptCount,
    tax: invoice.tax,
    prorated: prorated.has(invoice.id),
  }));
}

async function proratedInvoices(ctx: ReadContext, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await ctx.db
    .selectDistinct({ invoiceId: invoiceLines.invoiceId })
    .from(invoiceLines)
    .where(and(eq(invoiceLines.merchantId, ctx.merchantId), inList(invoiceLines.invoiceId, ids), eq(invoiceLines.kind, "proration")));
  return new Set(rows.map((r) => r.invoiceId));
}
