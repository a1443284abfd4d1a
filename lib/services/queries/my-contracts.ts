import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { invoices, merchants, plans, subscriptions } from "@/db/schema";
import { invoiceTotals } from "@/lib/billing/tax";
import { DEFAULT_MYPAGE_POLICY, type MypagePolicy } from "@/lib/mypage/policy";
import type { ServiceContext } from "../context";
import { notFound, ServiceError } from "../errors";
import { contractActions, type ResumeMode } from "./contract-actions";
import { getSubscriptionDetail, type SubscriptionDetail } from "./subscription-detail";

/** The signed-in customer, or `forbidden`: these reads are the mypage's, of the customer's own contracts only. */
export function customerOf(ctx: ServiceContext): string {
  if (ctx.actor.type !== "customer") throw new ServiceError("forbidden", "The mypage is for customers", { reason: "realm" });
  return ctx.actor.id;
}

export async function mypagePolicyOf(ctx: Pick<ServiceContext, "db" | "merchantId">): Promise<MypagePolicy> {
  const [row] = await ctx.db.select({ policy: merchants.mypagePolicy }).from(merchants).where(eq(merchants.id, ctx.merchantId));
  return { ...DEFAULT_MYPAGE_POLICY, ...row?.policy };
}

/** What the mypage offers on a contract: the console's rules (contractActions), narrowed by the merchant's policy. */
/** cancel.periodEnd: it may wait for its paid-through date; cancel.immediate: the merchant lets customers end it now. */
export type MyContractActions = {
  cancel: { enabled: boolean; periodEnd: boolean; immediate: boolean };
  resume: { enabled: boolean; mode: ResumeMode | null; charge: { at: Date | null; total: number; currency: string } | null };
  pause: { enabled: boolean; allowed: boolean };
};

export type MyContract = SubscriptionDetail & { actions: MyContractActions };

/** The customer's contracts, newest first, each as its page shows it. */
export async function listMyContracts(ctx: ServiceContext): Promise<MyContract[]> {
  const customerId = customerOf(ctx);
  const rows = await ctx.db
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(and(eq(subscriptions.merchantId, ctx.merchantId), eq(subscriptions.customerId, customerId)))
    .orderBy(desc(subscriptions.createdAt), desc(subscriptions.id));
  const policy = await mypagePolicyOf(ctx);
  return Promise.all(rows.map((r) => withActions(ctx, policy, r.id)));
}

/** One contract of the customer's; another customer's id is `not_found`, as an unknown one is. */
export async function getMyContract(ctx: ServiceContext, id: string): Promise<MyContract> {
  const customerId = customerOf(ctx);
  const [row] = await ctx.db
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(and(eq(subscriptions.merchantId, ctx.merchantId), eq(subscriptions.customerId, customerId), eq(subscriptions.id, id)));
  if (!row) throw notFound("subscription", id, "id");
  return withActions(ctx, await mypagePolicyOf(ctx), id);
}

async function withActions(ctx: ServiceContext, policy: MypagePolicy, id: string): Promise<MyContract> {
  const detail = await getSubscriptionDetail(ctx, id);
  const sub = detail.subscription;
  // A customer's permission on their own contract is contracts.operate (authorize.ts), as an operator's is.
  const actions = contractActions({ role: "operator", now: detail.now, subscription: sub, owedInvoiceId: detail.owedInvoice?.id ?? null, hasUsagePrices: false, hasOtherPlans: false });
  // Customers may end a contract at once only where the merchant allows it; a contract already set to end at its
  // paid-through date then has nothing more to cancel. Overdue and paused contracts end at once whatever is asked
  // (decideCancel), so they can always be cancelled.
  const immediate = policy.cancel === "immediate_allowed";
  const cancelEnabled = actions.cancel.enabled && (immediate || !sub.cancelAtPeriodEnd);
  return {
    ...detail,
    actions: {
      cancel: { enabled: cancelEnabled, periodEnd: actions.cancel.periodEnd, immediate },
      resume: { enabled: actions.resume.enabled, mode: actions.resume.mode, charge: actions.resume.enabled ? await resumeCharge(ctx, detail, actions.resume.mode) : null },
      pause: { enabled: policy.pause && actions.pause.enabled, allowed: policy.pause },
    },
  };
}

/**
 * What pressing "resume" leads to, for its confirmation: a restart is charged now (a cycle at the plan's price);
 * the others charge the plan's price at the paid-through date, as the renewal then will.
 */
async function resumeCharge(ctx: ServiceContext, detail: SubscriptionDetail, mode: ResumeMode | null): Promise<MyContractActions["resume"]["charge"]> {
  if (!mode) return null;
  const [plan] = await ctx.db.select().from(plans).where(and(eq(plans.id, detail.plan.id), eq(plans.merchantId, ctx.merchantId)));
  if (!plan) return null;
  const { total } = invoiceTotals([{ amount: plan.amount, taxRate: plan.taxRate }], plan.taxBehavior);
  const paidThrough = detail.subscription.paidThrough;
  const at = mode === "restart" ? null : paidThrough && paidThrough > detail.now ? paidThrough : detail.now;
  return { at, total, currency: plan.currency };
}

export type MyInvoice = { id: string; subscriptionId: string; total: number; currency: string; status: string; paidAt: Date | null; createdAt: Date; kind: string };

/** The invoices of the customer's contracts (or of one), newest first: the history and the receipts list. */
export async function listMyInvoices(ctx: ServiceContext, options: { subscriptionId?: string; paidOnly?: boolean } = {}): Promise<MyInvoice[]> {
  const customerId = customerOf(ctx);
  const where = [eq(invoices.merchantId, ctx.merchantId), eq(invoices.customerId, customerId)];
  if (options.subscriptionId) where.push(eq(invoices.subscriptionId, options.subscriptionId));
  if (options.paidOnly) where.push(eq(invoices.status, "paid"));
  else where.push(inArray(invoices.status, ["paid", "open", "void", "uncollectible"]));
  return ctx.db
    .select({ id: invoices.id, subscriptionId: invoices.subscriptionId, total: invoices.total, currency: invoices.currency, status: invoices.status, paidAt: invoices.paidAt, createdAt: invoices.createdAt, kind: invoices.kind })
    .from(invoices)
    .where(and(...where))
    .orderBy(desc(invoices.createdAt), asc(invoices.id))
    .limit(200);
}
