import { asc, eq } from "drizzle-orm";
import { merchants, products } from "@/db/schema";
import type { MailSettings } from "@/lib/mail/mail-settings";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";

type ReadContext = Pick<ServiceContext, "db" | "merchantId">;

export type MailSettingsView = {
  merchant: { name: string; senderName: string | null; replyTo: string | null; footer: string | null; mailSettings: MailSettings };
  products: { id: string; name: string; active: boolean; mailSettings: MailSettings }[];
};

/** What the メール設定 page edits: the merchant's mail settings and sender, and each product's own settings. */
export async function getMailSettingsView(ctx: ReadContext): Promise<MailSettingsView> {
  const [merchant] = await ctx.db
    .select({ name: merchants.name, senderName: merchants.senderName, replyTo: merchants.mailReplyTo, footer: merchants.mailFooter, mailSettings: merchants.mailSettings })
    .from(merchants)
    .where(eq(merchants.id, ctx.merchantId));
  if (!merchant) throw notFound("merchant", ctx.merchantId);
  const rows = await ctx.db
    .select({ id: products.id, name: products.name, active: products.active, mailSettings: products.mailSettings })
    .from(products)
    .where(eq(products.merchantId, ctx.merchantId))
    .orderBy(asc(products.name), asc(products.id));
  return { merchant, products: rows };
}
