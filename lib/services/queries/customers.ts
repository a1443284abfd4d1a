import { and, eq } from "drizzle-orm";
import { customers, paymentMethods } from "@/db/schema";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { type PageRequest, pageConditions, toPage } from "./page";

type ReadContext = Pick<ServiceContext, "db" | "merchantId">;

export async function getCustomer(ctx: ReadContext, id: string) {
  const [row] = await ctx.db.select().from(customers).where(and(eq(customers.id, id), eq(customers.merchantId, ctx.merchantId)));
  if (!row) throw notFound("customer", id, "id");
  return row;
}

export async function listCustomers(ctx: ReadContext, request: PageRequest & { email?: string | null; testClockId?: string | null }) {
  const page = pageConditions(customers.id, request);
  const rows = await ctx.db
    .select()
    .from(customers)
    .where(
      and(
        eq(customers.merchantId, ctx.merchantId),
        request.email ? eq(customers.email, request.email) : undefined,
        request.testClockId ? eq(customers.testClockId, request.testClockId) : undefined,
        page.cursor,
      ),
    )
    .orderBy(page.order)
    .limit(page.take);
  return toPage(rows, request);
}

/** A customer's saved cards, newest first; the customer must be the merchant's own. */
export async function listPaymentMethods(ctx: ReadContext, customerId: string, request: PageRequest) {
  await getCustomer(ctx, customerId);
  const page = pageConditions(paymentMethods.id, request);
  const rows = await ctx.db
    .select()
    .from(paymentMethods)
    .where(and(eq(paymentMethods.merchantId, ctx.merchantId), eq(paymentMethods.customerId, customerId), page.cursor))
    .orderBy(page.order)
    .limit(page.take);
  return toPage(rows, request);
}
