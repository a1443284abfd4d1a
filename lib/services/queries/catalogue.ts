import { and, eq } from "drizzle-orm";
import { plans, products } from "@/db/schema";
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
