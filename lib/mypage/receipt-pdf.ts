import { createFormatter, createTranslator } from "next-intl";
import { formatMoney } from "@/lib/billing/money";
import type { Locale } from "@/lib/i18n/locales";
import type { ReceiptView } from "@/lib/services/queries/receipt";
import { MESSAGES } from "@/messages";
import { japanesePdf } from "@/lib/pdf/japanese-pdf";

/**
 * The receipt page as a PDF that works as a 適格簡易請求書: the issuer and its registration number, the date, the
 * lines with reduced-rate ones marked ※, the amount and tax at each rate, the total; refunds after.
 */
export function receiptPdf(view: ReceiptView, locale: Locale): Promise<Buffer> {
  const t = createTranslator({ locale, messages: MESSAGES[locale], namespace: "receipt" });
  const format = createFormatter({ locale, timeZone: view.merchant.timeZone });
  const date = (at: Date) => format.dateTime(at, { year: "numeric", month: "long", day: "numeric" });
  const { receipt } = view;
  const money = (amount: number) => formatMoney({ amount, currency: receipt.currency });
  const mark = locale === "ja" ? " ※" : " *";

  const { doc, done } = japanesePdf({ margin: 56, title: `${t("title")} ${view.invoiceId}`, author: view.merchant.name });

  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const row = (cells: [string, string, string], options: { bold?: boolean } = {}) => {
    const y = doc.y;
    doc.font(options.bold ? "bold" : "body").fontSize(10);
    doc.text(cells[0], left, y, { width: width * 0.6 });
    const end = doc.y;
    doc.text(cells[1], left + width * 0.6, y, { width: width * 0.15, align: "right" });
    doc.text(cells[2], left + width * 0.75, y, { width: width * 0.25, align: "right" });
    doc.y = Math.max(end, doc.y) + 4;
  };

  doc.font("bold").fontSize(22).text(t("title"), { align: "center", characterSpacing: 4 });
  doc.moveDown();
  doc.font("body").fontSize(14).text(t("addressee", { name: view.customer.name }));
  doc.fontSize(10).text(`${t("number")}: ${view.invoiceId}`, { align: "right" });
  doc.text(`${t("paidAt")}: ${date(view.paidAt)}`, { align: "right" });
  doc.moveDown();
  doc.fontSize(11).text(t("amountReceived"), { align: "center" });
  doc.font("bold").fontSize(24).text(money(receipt.total), { align: "center" });
  doc.font("body").fontSize(10).text(t("forWhat", { product: view.planName ? `${view.productName}（${view.planName}）` : view.productName }), { align: "center" });
  doc.text(t("received"), { align: "center" });
  doc.moveDown();

  doc.font("bold").fontSize(11).text(t("lines.caption"), left);
  row([t("lines.description"), t("lines.quantity"), t("lines.amount")], { bold: true });
  for (const line of receipt.lines) row([`${line.description}${line.reduced ? mark : ""}`, String(line.quantity), money(line.amount)]);
  if (receipt.taxes.some((tax) => tax.reduced)) doc.font("body").fontSize(9).text(t("lines.reducedNote"), left);
  doc.moveDown();

  doc.font("bold").fontSize(11).text(t("taxes.caption"), left);
  row([t("taxes.rate"), t("taxes.taxable"), t("taxes.tax")], { bold: true });
  const behavior = t(receipt.taxBehavior === "inclusive" ? "taxes.inclusive" : "taxes.exclusive");
  for (const tax of receipt.taxes) row([`${t("taxes.rateLabel", { rate: tax.rate })}${tax.reduced ? mark : ""}`, "", `${money(tax.taxable)}${behavior}  ${t("taxes.tax")} ${money(tax.tax)}`]);
  doc.moveDown();
  row([t("subtotal"), "", money(receipt.subtotal)]);
  row([t("tax"), "", money(receipt.tax)]);
  row([t("total"), "", money(receipt.total)], { bold: true });

  if (receipt.refunds.length > 0) {
    doc.moveDown();
    doc.font("bold").fontSize(11).text(t("refunds.caption"), left);
    for (const refund of receipt.refunds) row([date(refund.at), "", `−${money(refund.amount)}`]);
    row([t("refunds.net"), "", money(receipt.net)], { bold: true });
  }

  doc.moveDown(2);
  doc.font("body").fontSize(10).text(`${t("issuer")}: ${view.merchant.name}`, left);
  if (view.merchant.registrationNumber) doc.text(`${t("registrationNumber")}: ${view.merchant.registrationNumber}`, left);
  doc.end();
  return done;
}
