import { eq } from "drizzle-orm";
import { merchants } from "@/db/schema";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";

type ReadContext = Pick<ServiceContext, "db" | "merchantId">;

/** The merchant's time zone: its billing days, and every time shown to it, are counted in it. */
export async function getMerchantTimeZone(ctx: ReadContext): Promise<string> {
  const [row] = await ctx.db.select({ timeZone: merchants.timeZone }).from(merchants).where(eq(merchants.id, ctx.merchantId));
  if (!row) throw notFound("merchant", ctx.merchantId);
  return row.timeZone;
}

/** The merchant's 特定商取引法に基づく表記 page, which every checkout page links to; null when not set yet. */
export async function getTokushohoUrl(ctx: ReadContext): Promise<string | null> {
  const [row] = await ctx.db.select({ url: merchants.tokushohoUrl }).from(merchants).where(eq(merchants.id, ctx.merchantId));
  if (!row) throw notFound("merchant", ctx.merchantId);
  return row.url;
}
