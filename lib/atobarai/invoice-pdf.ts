import type { AtobaraiAddress, AtobaraiItem } from "@/db/schema/atobarai";
import { formatMoney } from "@/lib/billing/money";
import { japanesePdf } from "@/lib/pdf/japanese-pdf";

/** What a 後払い invoice shows: read from the order when it has shipped (lib/services/queries/atobarai-orders.ts). */
export type AtobaraiInvoiceView = {
  merchantName: string;
  orderRef: string;
  buyer: { name: string; postalCode: string; address: string };
  shipping: AtobaraiAddress | null;
  items: AtobaraiItem[];
  amount: number;
  currency: string;
  /** When the invoice was issued (the document's creation date: the same invoice renders to the same bytes). */
  issuedAt: Date;
  /** Local dates, YYYY-MM-DD. */
  issuedOn: string;
  dueOn: string;
  paymentNumber: string;
  bankReference: string;
};

const jaDate = (iso: string) => {
  const [y, m, d] = iso.split("-").map(Number);
  return `${y}年${m}月${d}日`;
};
const postal = (code: string) => `〒${code.slice(0, 3)}-${code.slice(3)}`;

/**
 * The invoice (請求書) a 後払い buyer pays from, in Japanese (the buyer's document, like a konbini payment slip): the
 * buyer, the items, the amount, the due date and how to pay — at a konbini or post office with the payment number,
 * or by bank transfer with the transfer reference. Attached to the invoice mail (and opened from its link), or printed
 * and enclosed (同梱). The same view gives the same bytes.
 */
export function atobaraiInvoicePdf(view: AtobaraiInvoiceView): Promise<Buffer> {
  const money = (amount: number) => formatMoney({ amount, currency: view.currency });
  const { doc, done, left, width } = japanesePdf({ Title: `請求書 ${view.orderRef}`, Author: view.merchantName, CreationDate: view.issuedAt });
  const row = (cells: [string, string, string, string], bold = false) => {
    const y = doc.y;
    doc.font(bold ? "bold" : "body").fontSize(10);
    doc.text(cells[0], left, y, { width: width * 0.5 });
    const end = doc.y;
    doc.text(cells[1], left + width * 0.5, y, { width: width * 0.12, align: "right" });
    doc.text(cells[2], left + width * 0.62, y, { width: width * 0.18, align: "right" });
    doc.text(cells[3], left + width * 0.8, y, { width: width * 0.2, align: "right" });
    doc.y = Math.max(end, doc.y) + 4;
  };

  doc.font("body").fontSize(10).text(postal(view.buyer.postalCode), left);
  doc.text(view.buyer.address, left);
  doc.font("bold").fontSize(14).text(`${view.buyer.name} 様`, left);
  doc.moveDown();
  doc.font("bold").fontSize(22).text("請求書", { align: "center", characterSpacing: 4 });
  doc.moveDown(0.5);
  doc.font("body").fontSize(10).text(`注文番号：${view.orderRef}`, { align: "right" });
  doc.text(`発行日：${jaDate(view.issuedOn)}`, { align: "right" });
  doc.text(`ご購入店：${view.merchantName}`, { align: "right" });
  doc.moveDown();
  doc.fontSize(11).text("ご請求金額", { align: "center" });
  doc.font("bold").fontSize(24).text(money(view.amount), { align: "center" });
  doc.font("bold").fontSize(12).text(`お支払い期限：${jaDate(view.dueOn)}`, { align: "center" });
  doc.moveDown();

  doc.font("bold").fontSize(11).text("ご購入明細", left);
  row(["商品名", "数量", "単価", "金額"], true);
  for (const item of view.items) row([item.name, String(item.quantity), money(item.unitPrice), money(item.quantity * item.unitPrice)]);
  row(["合計（税込）", "", "", money(view.amount)], true);
  if (view.shipping) {
    doc.font("body").fontSize(9).text(`お届け先：${view.shipping.name} 様　${postal(view.shipping.postalCode)} ${view.shipping.address}`, left);
  }
  doc.moveDown();

  doc.font("bold").fontSize(11).text("お支払い方法", left);
  doc.font("bold").fontSize(10).text("■ コンビニエンスストアでのお支払い", left);
  doc.font("body").text(`レジで払込票番号 ${view.paymentNumber} をお伝えいただくか、店頭端末に入力してお支払いください。`, left);
  doc.font("bold").text("■ 郵便局でのお支払い", left);
  doc.font("body").text(`窓口で払込票番号 ${view.paymentNumber} をお伝えください。`, left);
  doc.font("bold").text("■ 銀行振込でのお支払い", left);
  doc.font("body").text(`振込依頼人名の前に振込依頼人番号 ${view.bankReference} を必ずご入力ください。振込手数料はお客様のご負担となります。`, left);
  doc.moveDown();
  doc.fontSize(9).text("商品がお手元に届いてから、お支払い期限までにお支払いください。期限を過ぎますと、ご案内の書面をお送りすることがあります。", left);
  doc.text("行き違いでお支払いいただいている場合は、ご容赦ください。", left);
  doc.end();
  return done;
}
