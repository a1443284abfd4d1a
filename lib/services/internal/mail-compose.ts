import { inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { merchants, products } from "@/db/schema";
import { type MailLinks, mailLinkVariables } from "@/lib/mail/links";
import { fromHeader } from "@/lib/mail/mailer";
import { mailOverrideFor, type ReceiptData, renderMail } from "@/lib/mail/render-mail";
import { withLinksReplaced } from "@/lib/mail/stored-mail";
import type { Handover, MailRow } from "./mail-queue";

/** The receipt a charge_succeeded mail lists (lib/mail/receipt-data.ts's loadReceiptData), or null without one. */
export type ReceiptSource = (db: Db, merchantId: string, invoiceId: string, locale: "ja" | "en") => Promise<ReceiptData | null>;

/**
 * What each claimed row is sent as, with its signed links (mails.links) signed now, so that they are valid for
 * KEIZOKU_LINK_TTL_DAYS from when the customer gets the mail: a row rendered before (a staff "send again", a test
 * send) as stored, its links swapped for fresh ones; any other rendered now with its merchant's and product's wording,
 * from the merchant's sender name at KEIZOKU_MAIL_FROM, replies to the merchant's reply-to address.
 */
export async function composeMails(
  db: Db,
  rows: readonly MailRow[],
  options: { mailFrom: string; now: Date; links: MailLinks; receiptFor: ReceiptSource | null },
): Promise<Handover[]> {
  if (rows.length === 0) return [];
  const merchantIds = [...new Set(rows.map((r) => r.merchantId))];
  const productIds = [...new Set(rows.flatMap((r) => (r.productId ? [r.productId] : [])))];
  const merchantRows = await db
    .select({ id: merchants.id, name: merchants.name, senderName: merchants.senderName, mailReplyTo: merchants.mailReplyTo, mailSettings: merchants.mailSettings })
    .from(merchants)
    .where(inArray(merchants.id, merchantIds));
  const productRows = productIds.length ? await db.select({ id: products.id, mailSettings: products.mailSettings }).from(products).where(inArray(products.id, productIds)) : [];
  const merchantById = new Map(merchantRows.map((m) => [m.id, m]));
  const productById = new Map(productRows.map((p) => [p.id, p]));

  return Promise.all(
    rows.map(async (row): Promise<Handover> => {
      const merchant = merchantById.get(row.merchantId)!;
      const from = row.fromHeader ?? fromHeader(merchant.senderName ?? merchant.name, options.mailFrom);
      const signed = await mailLinkVariables(options.links, row.merchantId, row.links, options.now);
      const variables = { ...row.variables, ...signed };
      if (row.renderedAt) {
        const swapped = Object.entries(signed).flatMap(([name, url]) => (row.variables[name] ? [[row.variables[name], url] as const] : []));
        const stored = withLinksReplaced(row, swapped);
        return { id: row.id, subject: stored.subject ?? "", html: stored.html ?? "", textBody: stored.textBody ?? "", variables, fromHeader: from, replyTo: row.replyTo, renderedAt: row.renderedAt, batchKey: null };
      }
      const product = row.productId ? (productById.get(row.productId) ?? null) : null;
      const receipt = row.template === "charge_succeeded" && row.invoiceId && options.receiptFor ? await options.receiptFor(db, row.merchantId, row.invoiceId, row.locale) : null;
      const rendered = await renderMail({
        template: row.template,
        locale: row.locale,
        variables,
        override: mailOverrideFor(merchant.mailSettings, product?.mailSettings ?? null, row.template),
        receipt,
      });
      return { id: row.id, subject: rendered.subject, html: rendered.html, textBody: rendered.text, variables, fromHeader: from, replyTo: merchant.mailReplyTo, renderedAt: options.now, batchKey: null };
    }),
  );
}
