import { createFormatter, createTranslator } from "next-intl";
import { formatMoney } from "@/lib/billing/money";
import type { Locale } from "@/lib/i18n/locales";
import type { AtobaraiStatementView } from "@/lib/services/queries/atobarai-money";
import { japanesePdf } from "@/lib/pdf/japanese-pdf";
import { MESSAGES } from "@/messages";

/** A settlement statement (立替払い精算書) as a PDF: the period, the totals, and each line with its order. */
export function statementPdf(view: AtobaraiStatementView, locale: Locale): Promise<Buffer> {
  const t = createTranslator({ locale, messages: MESSAGES[locale], namespace: "atobaraiMoney.statements" });
  const format = createFormatter({ locale, timeZone: view.merchant.timeZone });
  const date = (at: Date) => format.dateTime(at, { year: "numeric", month: "2-digit", day: "2-digit" });
  const yen = (amount: number) => formatMoney({ amount, currency: "JPY" });
  const { statement: s } = view;

  const { doc, done } = japanesePdf({ Title: `${t("pdf.title")} ${s.periodStart}–${s.periodEnd}`, Author: "Keizoku" }, 48);
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const columns = [0.18, 0.22, 0.26, 0.14, 0.2];
  const row = (cells: string[], options: { bold?: boolean } = {}) => {
    if (doc.y > doc.page.height - doc.page.margins.bottom - 24) doc.addPage();
    const y = doc.y;
    doc.font(options.bold ? "bold" : "body").fontSize(9);
    let x = left;
    let bottom = y;
    cells.forEach((cell, i) => {
      const w = width * columns[i]!;
      doc.text(cell, x, y, { width: w - 4, align: i === cells.length - 1 ? "right" : "left" });
      bottom = Math.max(bottom, doc.y);
      x += w;
    });
    doc.y = bottom + 3;
  };

  doc.font("bold").fontSize(18).text(t("pdf.title"), { align: "center", characterSpacing: 2 });
  doc.moveDown(0.5);
  doc.font("body").fontSize(11).text(`${view.merchant.name}`, left);
  doc.fontSize(10).text(`${t("period")}: ${s.periodStart} 〜 ${s.periodEnd}`, { align: "right" });
  doc.text(`${t("closedAt")}: ${date(s.closedAt)}`, { align: "right" });
  doc.moveDown();
  for (const [label, value] of [
    [t("orders"), String(s.orderCount)],
    [t("sales"), yen(s.sales)],
    [t("fees"), `−${yen(s.fees)}`],
    [t("reversals"), `−${yen(s.reversals)}`],
  ] as const) {
    doc.font("body").fontSize(10).text(`${label}　${value}`, left);
  }
  doc.font("bold").fontSize(14).text(`${t("net")}　${yen(s.net)}`, left);
  if (s.net < 0) doc.font("body").fontSize(9).text(t("detail.owed"), left);
  doc.moveDown();
  doc.font("bold").fontSize(11).text(t("detail.lines"), left);
  row([t("detail.kind"), t("detail.order"), t("detail.buyer"), t("detail.shippedOn"), t("detail.amount")], { bold: true });
  for (const line of view.lines) row([t(`detail.kinds.${line.kind}`), line.orderRef, line.buyerName, line.shippedAt ? date(line.shippedAt) : "", yen(line.amount)]);
  row(["", "", "", t("pdf.total"), yen(s.net)], { bold: true });
  doc.end();
  return done;
}
