import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { checkoutLinks, merchants, plans, products } from "@/db/schema";
import { planFacts } from "../internal/contract";
import { quoteSignUp, type SignUpQuote } from "@/lib/billing/sign-up-quote";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { type PageRequest, pageConditions, toPage } from "./page";

type ReadContext = Pick<ServiceContext, "db" | "merchantId">;

export async function getCheckoutLink(ctx: ReadContext, id: string) {
  const [row] = await ctx.db.select().from(checkoutLinks).where(and(eq(checkoutLinks.id, id), eq(checkoutLinks.merchantId, ctx.merchantId)));
  if (!row) throw notFound("checkout link", id, "id");
  return row;
}

export async function listCheckoutLinks(ctx: ReadContext, request: PageRequest & { planId?: string | null }) {
  const page = pageConditions(checkoutLinks.id, request);
  const rows = await ctx.db
    .select()
    .from(checkoutLinks)
    .where(and(eq(checkoutLinks.merchantId, ctx.merchantId), request.planId ? eq(checkoutLinks.planId, request.planId) : undefined, page.cursor))
    .orderBy(page.order)
    .limit(page.take);
  return toPage(rows, request);
}

/** The console's list: every link with its plan and product names, newest first. */
export async function listCheckoutLinksWithPlans(ctx: ReadContext, limit = 200) {
  return ctx.db
    .select({ link: checkoutLinks, planName: plans.name, productName: products.name, amount: plans.amount, currency: plans.currency, interval: plans.interval })
    .from(checkoutLinks)
    .innerJoin(plans, eq(plans.id, checkoutLinks.planId))
    .innerJoin(products, eq(products.id, plans.productId))
    .where(eq(checkoutLinks.merchantId, ctx.merchantId))
    .orderBy(checkoutLinks.id)
    .limit(limit)
    .then((rows) => rows.reverse());
}

/** The plans a checkout link may be made for: active plans of active products, by product then plan. */
export async function listCheckoutPlanChoices(ctx: ReadContext) {
  return ctx.db
    .select({ id: plans.id, name: plans.name, productId: products.id, productName: products.name, amount: plans.amount, currency: plans.currency, interval: plans.interval })
    .from(plans)
    .innerJoin(products, and(eq(products.id, plans.productId), eq(products.merchantId, plans.merchantId)))
    .where(and(eq(plans.merchantId, ctx.merchantId), eq(plans.active, true), eq(products.active, true)))
    .orderBy(asc(products.name), asc(products.id), asc(plans.id));
}

export type CheckoutPage = {
  link: typeof checkoutLinks.$inferSelect;
  merchant: { id: string; name: string; tokushohoUrl: string | null; timeZone: string };
  product: { name: string; description: string | null };
  plan: { id: string; name: string };
  quote: SignUpQuote;
};

/**
 * What the public checkout page shows, before anyone is signed in: an active link of an active plan, its merchant,
 * and what signing up now costs (the sign-up decision's own numbers). Null for anything else, so that ids of
 * disabled links and plans read as unknown.
 */
export async function loadCheckoutPage(db: Db, linkId: string, now: Date): Promise<CheckoutPage | null> {
  const [row] = await db
    .select({ link: checkoutLinks, plan: plans, product: products, merchant: merchants })
    .from(checkoutLinks)
    .innerJoin(plans, and(eq(plans.id, checkoutLinks.planId), eq(plans.merchantId, checkoutLinks.merchantId)))
    .innerJoin(products, eq(products.id, plans.productId))
    .innerJoin(merchants, eq(merchants.id, checkoutLinks.merchantId))
    .where(eq(checkoutLinks.id, linkId));
  if (!row || !row.link.active || !row.plan.active) return null;
  const facts = planFacts(row.plan, row.product);
  return {
    link: row.link,
    merchant: { id: row.merchant.id, name: row.merchant.name, tokushohoUrl: row.merchant.tokushohoUrl, timeZone: row.merchant.timeZone },
    product: { name: row.product.name, description: row.product.description },
    plan: { id: row.plan.id, name: facts.name },
    quote: quoteSignUp({ plan: facts, settings: row.merchant.billingSettings, timeZone: row.merchant.timeZone, now }),
  };
}
