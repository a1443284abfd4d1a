import type { MailLocale } from "./default-copy";
import type { ReceiptData } from "./render-mail";

export type ReceiptRow = { label: string; value: string };
export type ReceiptRows = { heading: string; lines: ReceiptRow[]; taxes: ReceiptRow[]; total: ReceiptRow; details: ReceiptRow[] };

/**
 * A receipt as labelled rows, the same for the HTML table and the plain text: what an 適格請求書 needs — the lines,
 * the amount and tax per rate, the total, the date and the issuer's registration number when it has one.
 */
export function receiptRows(receipt: ReceiptData, locale: MailLocale): ReceiptRows {
  const ja = locale === "ja";
  return {
    heading: ja ? "ご請求明細" : "Receipt",
    lines: receipt.lines.map((line) => ({ label: line.description, value: line.amount })),
    taxes: receipt.taxes.map((tax) => ({
      label: ja ? `${tax.rate}対象` : `Subject to ${tax.rate} tax`,
      value: ja ? `${tax.taxable}（消費税 ${tax.tax}）` : `${tax.taxable} (tax ${tax.tax})`,
    })),
    total: { label: ja ? "合計" : "Total", value: receipt.total },
    details: [
      { label: ja ? "お支払い日" : "Paid on", value: receipt.paidAt },
      { label: ja ? "請求書番号" : "Invoice", value: receipt.invoiceId },
      ...(receipt.registrationNumber ? [{ label: ja ? "登録番号" : "Registration number", value: receipt.registrationNumber }] : []),
    ],
  };
}
