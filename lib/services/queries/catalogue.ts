import { and, asc, desc, eq } from "drizzle-orm";
import { merchants, plans, products } from "@/db/schema";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { type PageRequest, pageConditions, toPage } from "./page";

type ReadContext = Pick<ServiceContext, "db" | "merchantId">;

export async function getProduct(ctx: ReadContext, id: string) {
  const [row] = await ctx.db.select().from(products).where(and(eq(products.id, id), eq(products.merchantId, ctx.merchantId)));
  if (!row) throw notFound("product", id, "id");
  return row;
}

export async function listProducts(ctx: ReadContext, request: PageRequest) {
  const page = pageConditions(products.id, request);
  const rows = await ctx.db.select().from(products).where(and(eq(products.merchantId, ctx.merchantId), page.cursor)).orderBy(page.order).limit(page.take);
  return toPage(rows, request);
}

export async function getPlan(ctx: ReadContext, id: string) {
  const [row] = await ctx.db.select().from(plans).where(and(eq(plans.id, id), eq(plans.merchantId, ctx.merchantId)));
  if (!row) throw notFound("plan", id, "id");
  return row;
}

export async function listPlans(ctx: ReadContext, request: PageRequest & { productId?: string | null }) {
  const page = pageConditions(plans.id, request);
  const rows = await ctx.db
    .select()
    .from(plans)
    .where(and(eq(plans.merchantId, ctx.merchantId), request.productId ? eq(plans.productId, request.productId) : undefined, page.cursor))
    .orderBy(page.order)
    .limit(page.take);
  return toPage(rows, request);
}

/** The console's catalogue: every product (active first, then by name) with its plans, oldest plan first. */
export async function listCatalogue(ctx: ReadContext) {
  const [productRows, planRows] = await Promise.all([
    ctx.db.select().from(products).where(eq(products.merchantId, ctx.merchantId)).orderBy(desc(products.active), asc(products.name), asc(products.id)),
    ctx.db.select().from(plans).where(eq(plans.merchantId, ctx.merchantId)).orderBy(asc(plans.id)),
  ]);
  const plansOf = new Map<string, (typeof planRows)[number][]>();
  for (const plan of planRows) plansOf.set(plan.productId, [...(plansOf.get(plan.productId) ?? []), plan]);
  return productRows.map((product) => ({ product, plans: plansOf.get(product.id) ?? [] }));
}

/** What the plan form needs beside the product: the merchant's billing settings, time zone and currency, for the live quote. */
export async function getPlanFormContext(ctx: ReadContext, productId: string) {
  const [row] = await ctx.db
    .select({ product: products, billingSettings: merchants.billingSettings, timeZone: merchants.timeZone, currency: merchants.currency })
    .from(products)
    .innerJoin(merchants, eq(merchants.id, products.merchantId))
    .where(and(eq(products.id, productId), eq(products.merchantId, ctx.merchantId)));
  if (!row) throw notFound("product", productId, "id");
  return row;
}
