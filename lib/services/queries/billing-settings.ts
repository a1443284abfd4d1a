import { eq } from "drizzle-orm";
import { merchants } from "@/db/schema";
import type { BillingSettings } from "@/lib/billing/billing-settings";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";

type ReadContext = Pick<ServiceContext, "db" | "merchantId">;

export async function getBillingSettings(ctx: ReadContext): Promise<BillingSettings> {
  const [row] = await ctx.db.select({ billingSettings: merchants.billingSettings }).from(merchants).where(eq(merchants.id, ctx.merchantId));
  if (!row) throw notFound("merchant", ctx.merchantId);
  return row.billingSettings;
}
