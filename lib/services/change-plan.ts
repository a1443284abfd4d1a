import { and, eq, gte, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { invoiceLines, invoices, plans, products } from "@/db/schema";
import type { ContractFacts, PlanFacts } from "@/lib/billing/contract";
import { decideChangePlan } from "@/lib/billing/decisions/change-plan";
import { periodDraft } from "@/lib/billing/decisions/period-charge";
import { localDateOf } from "@/lib/billing/calendar";
import { isRefusal } from "@/lib/billing/effects";
import type { InvoiceDraft } from "@/lib/billing/invoice";
import { cycleChanges, restartAnchor } from "@/lib/billing/decisions/course";
import { invoiceTotals } from "@/lib/billing/tax";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { conflict, notFound, parseInput } from "./errors";
import { collectNow, openCharge } from "./internal/collect";
import { type Contract, contractFacts, lockContract, planFacts } from "./internal/contract";
import { accepted, onContract } from "./internal/contract-verb";
import { loadSubscription } from "./read-subscription";

export const changePlanInput = z.object({
  subscriptionId: z.string().min(1),
  planId: z.string().min(1),
  when: z.enum(["now", "period_end"]).default("now"),
  proration: z.enum(["daily", "none"]).default("daily"),
});

/** Changes a contract's plan now or at its next renewal (see decideChangePlan); a declined charge changes nothing. */
export async function changePlan(ctx: ServiceContext, input: z.input<typeof changePlanInput>) {
  const data = parseInput(changePlanInput, input);
  const prepared = await onContract(ctx, data.subscriptionId, "contracts.operate", async (tx, contract, writer) => {
    const target = await targetPlan(tx, ctx.merchantId, data.planId);
    // A plan change whose charge is still in flight (a second press, a crash) is replayed, never charged again.
    const changes = await planChangeInvoices(tx, contract);
    const inFlight = changes.find((i) => i.status === "open");
    if (inFlight) {
      if (inFlight.planId !== target.id) throw conflict("Another plan change of this contract is waiting for its payment", "change_in_progress");
      return (await openCharge(tx, writer, contract, { invoice: inFlight }, "plan_change")).prepared;
    }
    const decision = accepted(
      decideChangePlan(contractFacts(contract), { target, when: data.when, proration: data.proration, paidForCurrentPeriod: await paidForCurrentPeriod(tx, contract), changeNumber: changes.length + 1 }),
    );
    if ("charge" in decision) return (await openCharge(tx, writer, contract, { draft: decision.charge }, "plan_change")).prepared;
    writer.apply(contract, decision);
    return null;
  });
  if (prepared) await collectNow(ctx, prepared, data.subscriptionId);
  return loadSubscription(ctx, data.subscriptionId);
}

export type PlanChangePreview = {
  /** The invoice the change would charge now, or null when nothing is charged now. */
  invoice: { lines: InvoiceDraft["lines"]; subtotal: number; tax: number; total: number; currency: string; creditApplied: number; creditCarried: number } | null;
  /** The next renewal after the change: when, and what it would charge (on the new plan, less any credit). */
  nextRenewal: { at: Date; total: number; currency: string } | null;
  plan: { id: string; name: string };
};

/** What changePlan would do, with nothing written: the invoice it would create now and the next renewal's amount. */
export async function previewPlanChange(ctx: ServiceContext, input: z.input<typeof changePlanInput>): Promise<PlanChangePreview> {
  const data = parseInput(changePlanInput, input);
  // A read under the contract's lock, rolled back: the preview sees exactly what the change would.
  return ctx.db.transaction(async (tx) => {
    const contract = await lockContract(tx, ctx.merchantId, data.subscriptionId, ctx.clock);
    authorize(ctx.actor, "contracts.operate", { customerId: contract.sub.customerId, what: "subscription", id: data.subscriptionId });
    const target = await targetPlan(tx, ctx.merchantId, data.planId);
    const facts = contractFacts(contract);
    const decision = decideChangePlan(facts, {
      target,
      when: data.when,
      proration: data.proration,
      paidForCurrentPeriod: await paidForCurrentPeriod(tx, contract),
      changeNumber: (await planChangeInvoices(tx, contract)).length + 1,
    });
    accepted(decision);
    const charge = !isRefusal(decision) && "charge" in decision ? decision.charge : null;
    const invoice = charge
      ? {
          lines: charge.lines,
          ...invoiceTotals(charge.lines.map((l) => ({ amount: l.amount, taxRate: target.taxRate })), target.taxBehavior),
          currency: target.currency,
          creditApplied: charge.creditApplied,
          creditCarried: charge.lines.filter((l) => l.kind === "credit_carried").reduce((sum, l) => sum + l.amount, 0),
        }
      : null;
    const { state, now, timeZone } = facts;
    const after = { ...state, creditBalance: state.creditBalance - (invoice?.creditApplied ?? 0) + (invoice?.creditCarried ?? 0) };
    // After any accepted change the next renewal bills the target plan: from the restart's end, or the paid-through date.
    const restarts = charge !== null && charge.periodEnd !== null && charge.periodEnd.getTime() !== state.paidThrough?.getTime();
    const at = restarts ? charge.periodEnd : state.paidThrough;
    const anchor = restarts
      ? restartAnchor(target, now, timeZone)
      : cycleChanges(facts.plan, state.billingAnchor, target) && state.paidThrough
        ? restartAnchor(target, state.paidThrough, timeZone)
        : state.billingAnchor;
    return { invoice, nextRenewal: at ? nextRenewal({ ...facts, state: after }, target, anchor, at) : null, plan: { id: target.id, name: target.name } };
  });
}

/** The renewal invoice's total at `at` on `plan`, with the credit (and any joining fee still owed) the contract would then have. */
function nextRenewal(facts: ContractFacts, plan: PlanFacts, anchor: number, at: Date): PlanChangePreview["nextRenewal"] {
  const draft = periodDraft(facts, {
    invoiceKind: "renewal",
    plan,
    anchor,
    start: localDateOf(at, facts.timeZone),
    startAt: at,
    includeJoiningFee: facts.state.joiningFeePending,
    usage: [],
    billingKey: "preview",
  });
  const total = "charge" in draft ? invoiceTotals(draft.charge.lines.map((l) => ({ amount: l.amount, taxRate: plan.taxRate })), plan.taxBehavior).total : 0;
  return { at, total, currency: plan.currency };
}

/** The contract's plan-change invoices, any status. */
async function planChangeInvoices(tx: Db, contract: Contract) {
  return tx
    .select()
    .from(invoices)
    .where(and(eq(invoices.merchantId, contract.sub.merchantId), eq(invoices.subscriptionId, contract.sub.id), eq(invoices.kind, "plan_change")));
}

async function targetPlan(tx: Db, merchantId: string, planId: string): Promise<PlanFacts> {
  const [row] = await tx
    .select({ plan: plans, product: products })
    .from(plans)
    .innerJoin(products, eq(products.id, plans.productId))
    .where(and(eq(plans.id, planId), eq(plans.merchantId, merchantId)));
  if (!row || !row.plan.active) throw notFound("plan", planId, "plan");
  return planFacts(row.plan, row.product);
}

/**
 * What the customer paid, net, for the period they are in: the period, proration and credit lines of the invoices
 * paid since it started (its first charge, renewal, restart or recovery, and plan changes within it). A credit for
 * unused days is never more than this.
 */
async function paidForCurrentPeriod(tx: Db, contract: Contract): Promise<number> {
  const { sub } = contract;
  if (!sub.paidThrough || !sub.currentPeriodStart) return 0;
  const [row] = await tx
    .select({ total: sql<string>`coalesce(sum(${invoiceLines.amount}), 0)` })
    .from(invoiceLines)
    .innerJoin(invoices, eq(invoices.id, invoiceLines.invoiceId))
    .where(
      and(
        eq(invoices.subscriptionId, sub.id),
        eq(invoices.status, "paid"),
        gte(invoices.paidAt, sub.currentPeriodStart),
        sql`${invoices.kind} in ('first', 'renewal', 'resume', 'plan_change')`,
        sql`${invoiceLines.kind} in ('period', 'proration', 'proration_credit')`,
      ),
    );
  return Number(row!.total);
}
