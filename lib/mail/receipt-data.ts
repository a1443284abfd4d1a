import type { Db } from "@/db/client";
import { formatMoney } from "@/lib/billing/money";
import type { TaxBehavior } from "@/lib/billing/plan";
import type { Locale } from "@/lib/i18n/locales";
import { readReceipt } from "@/lib/services/queries/receipt";
import { formatMailDate } from "./mail-date";
import type { ReceiptData } from "./render-mail";

// Mails are rendered outside next-intl, so their few receipt words live here, beside the formatting.
const WORDS = {
  ja: { reduced: "軽減税率", reducedMark: "※", inclusive: "税込", exclusive: "税抜", open: "（", close: "）" },
  en: { reduced: "reduced rate", reducedMark: "*", inclusive: "tax incl.", exclusive: "before tax", open: " (", close: ")" },
} as const satisfies Record<Locale, Record<string, string>>;

/**
 * What a receipt mail lists for a paid invoice, formatted in the customer's language (the mail's locale) and the
 * merchant's time zone: lines (reduced-rate ones marked), the amount and tax at each rate, the total, the date paid
 * and the merchant's registration number. Null when the invoice is not a paid one of this merchant.
 */
export async function loadReceiptData(db: Db, merchantId: string, invoiceId: string, locale: Locale = "ja"): Promise<ReceiptData | null> {
  const view = await readReceipt(db, merchantId, invoiceId);
  if (!view) return null;
  const { receipt, merchant } = view;
  const words = WORDS[locale];
  const money = (amount: number) => formatMoney({ amount, currency: receipt.currency });
  const treatment = (behavior: TaxBehavior) => `${words.open}${words[behavior]}${words.close}`;
  return {
    lines: receipt.lines.map((line) => ({ description: line.reduced ? `${line.description} ${words.reducedMark}` : line.description, amount: money(line.amount) })),
    taxes: receipt.taxes.map((t) => ({
      rate: t.reduced ? `${t.rate}%${words.open}${words.reducedMark}${words.reduced}${words.close}` : `${t.rate}%`,
      taxable: `${money(t.taxable)}${treatment(receipt.taxBehavior)}`,
      tax: money(t.tax),
    })),
    total: money(receipt.total),
    paidAt: formatMailDate(view.paidAt, merchant.timeZone, locale),
    invoiceId: view.invoiceId,
    registrationNumber: merchant.registrationNumber,
  };
}
