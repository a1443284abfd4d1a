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

/** Everything the 請求設定 page shows: the billing settings and the merchant's own details kept beside them. */
export async function getBillingSettingsView(ctx: ReadContext) {
  const [row] = await ctx.db
    .select({
      billingSettings: merchants.billingSettings,
      timeZone: merchants.timeZone,
      invoiceRegistrationNumber: merchants.invoiceRegistrationNumber,
      tokushohoUrl: merchants.tokushohoUrl,
      mypagePolicy: merchants.mypagePolicy,
    })
    .from(merchants)
    .where(eq(merchants.id, ctx.merchantId));
  if (!row) throw notFound("merchant", ctx.merchantId);
  return row;
}
