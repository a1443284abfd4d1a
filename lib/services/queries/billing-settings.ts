import { eq } from "drizzle-orm";
import { atobaraiAccounts, merchants } from "@/db/schema";
import type { BillingSettings } from "@/lib/billing/billing-settings";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";

type ReadContext = Pick<ServiceContext, "db" | "merchantId">;

export async function getBillingSettings(ctx: ReadContext): Promise<BillingSettings> {
  const [row] = await ctx.db.select({ billingSettings: merchants.billingSettings }).from(merchants).where(eq(merchants.id, ctx.merchantId));
  if (!row) throw notFound("merchant", ctx.merchantId);
  return row.billingSettings;
}

/**
 * Everything the 請求設定 page shows: the billing settings and the merchant's own details kept beside them, and
 * whether 後払い is on (the dunning timeline's fallback invoice needs it).
 */
export async function getBillingSettingsView(ctx: ReadContext) {
  const [row] = await ctx.db
    .select({
      billingSettings: merchants.billingSettings,
      timeZone: merchants.timeZone,
      invoiceRegistrationNumber: merchants.invoiceRegistrationNumber,
      tokushohoUrl: merchants.tokushohoUrl,
      mypagePolicy: merchants.mypagePolicy,
      atobaraiMerchant: atobaraiAccounts.merchantId,
    })
    .from(merchants)
    .leftJoin(atobaraiAccounts, eq(atobaraiAccounts.merchantId, merchants.id))
    .where(eq(merchants.id, ctx.merchantId));
  if (!row) throw notFound("merchant", ctx.merchantId);
  const { atobaraiMerchant, ...view } = row;
  return { ...view, atobaraiOn: atobaraiMerchant !== null };
}
