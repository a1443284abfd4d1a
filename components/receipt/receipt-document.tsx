import { createFormatter } from "next-intl";
import type { ReactNode } from "react";
import { formatMoney } from "@/lib/billing/money";
import type { Locale } from "@/lib/i18n/locales";
import { customerTranslator } from "@/lib/mypage/signed-link-context";
import type { ReceiptView } from "@/lib/services/queries/receipt";

/**
 * 領収書: a paid invoice as the customer keeps it, on the receipt link's page and the mypage alike. It works as a
 * 適格簡易請求書: the issuer and its registration number, the date, the lines with reduced-rate ones marked, the
 * amount and tax at each rate, the total; then refunds, if any. `actions` sit beside the title (print, PDF); the
 * print stylesheet drops them.
 */
export function ReceiptDocument({ view, locale, actions, as: Root = "main" }: { view: ReceiptView; locale: Locale; actions?: ReactNode; as?: "main" | "article" }) {
  const t = customerTranslator(locale, "receipt");
  const format = createFormatter({ locale, timeZone: view.merchant.timeZone });
  const date = (at: Date) => format.dateTime(at, { year: "numeric", month: "long", day: "numeric" });
  const { receipt } = view;
  const money = (amount: number) => formatMoney({ amount, currency: receipt.currency });
  const mark = locale === "ja" ? "※" : "*";
  const num = "text-right tabular-nums";

  return (
    <Root lang={locale} className="mx-auto flex w-full max-w-2xl flex-col gap-6 rounded-lg border border-slate-200 bg-white p-6 shadow-sm sm:p-10 print:max-w-none print:rounded-none print:border-0 print:shadow-none">
      <header className="flex items-start justify-between gap-4">
        <h1 className="text-2xl font-bold tracking-widest">{t("title")}</h1>
        <div className="flex gap-2 print:hidden">{actions}</div>
      </header>

      <div className="flex flex-wrap items-end justify-between gap-4">
        <p className="border-b border-slate-400 pb-1 text-lg font-medium">{t("addressee", { name: view.customer.name })}</p>
        <dl className="grid grid-cols-[auto_auto] gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-600">{t("number")}</dt>
          <dd className="font-mono">{view.invoiceId}</dd>
          <dt className="text-slate-600">{t("paidAt")}</dt>
          <dd>{date(view.paidAt)}</dd>
        </dl>
      </div>

      <section aria-labelledby="amount-received" className="flex flex-col items-center gap-1 rounded-md bg-slate-50 p-4 print:bg-white">
        <h2 id="amount-received" className="text-sm text-slate-600">
          {t("amountReceived")}
        </h2>
        <p className="text-3xl font-bold tabular-nums" data-testid="receipt-total">
          {money(receipt.total)}
        </p>
        <p className="text-sm">{t("forWhat", { product: view.planName ? `${view.productName}（${view.planName}）` : view.productName })}</p>
        <p className="text-sm text-slate-600">{t("received")}</p>
      </section>

      <table className="w-full text-sm">
        <caption className="mb-2 text-left font-semibold">{t("lines.caption")}</caption>
        <thead>
          <tr className="border-b border-slate-300 text-slate-600">
            <th scope="col" className="py-1 text-left font-medium">{t("lines.description")}</th>
            <th scope="col" className="py-1 text-right font-medium">{t("lines.quantity")}</th>
            <th scope="col" className="py-1 text-right font-medium">{t("lines.amount")}</th>
          </tr>
        </thead>
        <tbody>
          {receipt.lines.map((line, i) => (
            <tr key={i} className="border-b border-slate-100" data-testid="receipt-line">
              <td className="py-1.5">
                {line.description}
                {line.reduced ? ` ${mark}` : null}
              </td>
              <td className={num}>{line.quantity}</td>
              <td className={num}>{money(line.amount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {receipt.taxes.some((tax) => tax.reduced) ? <p className="-mt-4 text-xs text-slate-600">{t("lines.reducedNote")}</p> : null}

      <table className="w-full text-sm">
        <caption className="mb-2 text-left font-semibold">{t("taxes.caption")}</caption>
        <thead>
          <tr className="border-b border-slate-300 text-slate-600">
            <th scope="col" className="py-1 text-left font-medium">{t("taxes.rate")}</th>
            <th scope="col" className="py-1 text-right font-medium">{t("taxes.taxable")}</th>
            <th scope="col" className="py-1 text-right font-medium">{t("taxes.tax")}</th>
          </tr>
        </thead>
        <tbody>
          {receipt.taxes.map((tax) => (
            <tr key={tax.rate} className="border-b border-slate-100" data-testid="receipt-tax">
              <th scope="row" className="py-1.5 text-left font-normal">
                {t("taxes.rateLabel", { rate: tax.rate })}
                {tax.reduced ? ` ${mark}` : null}
              </th>
              <td className={num}>
                {money(tax.taxable)}
                {t(receipt.taxBehavior === "inclusive" ? "taxes.inclusive" : "taxes.exclusive")}
              </td>
              <td className={num}>{money(tax.tax)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <dl className="ml-auto grid w-full max-w-xs grid-cols-[1fr_auto] gap-x-6 gap-y-1 text-sm">
        <dt>{t("subtotal")}</dt>
        <dd className={num}>{money(receipt.subtotal)}</dd>
        <dt>{t("tax")}</dt>
        <dd className={num}>{money(receipt.tax)}</dd>
        <dt className="border-t border-slate-300 pt-1 font-semibold">{t("total")}</dt>
        <dd className={`${num} border-t border-slate-300 pt-1 font-semibold`}>{money(receipt.total)}</dd>
      </dl>

      {receipt.refunds.length > 0 ? (
        <div className="flex flex-col gap-2" data-testid="receipt-refunds">
          <table className="w-full text-sm">
            <caption className="mb-2 text-left font-semibold">{t("refunds.caption")}</caption>
            <thead>
              <tr className="border-b border-slate-300 text-slate-600">
                <th scope="col" className="py-1 text-left font-medium">{t("refunds.date")}</th>
                <th scope="col" className="py-1 text-right font-medium">{t("refunds.amount")}</th>
              </tr>
            </thead>
            <tbody>
              {receipt.refunds.map((refund, i) => (
                <tr key={i} className="border-b border-slate-100">
                  <td className="py-1.5">{date(refund.at)}</td>
                  <td className={num}>−{money(refund.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <dl className="ml-auto grid w-full max-w-xs grid-cols-[1fr_auto] gap-x-6 gap-y-1 text-sm">
            <dt>{t("refunds.total")}</dt>
            <dd className={num}>−{money(receipt.refunded)}</dd>
            <dt className="font-semibold">{t("refunds.net")}</dt>
            <dd className={`${num} font-semibold`}>{money(receipt.net)}</dd>
          </dl>
        </div>
      ) : null}

      <footer className="flex flex-col gap-1 border-t border-slate-200 pt-4 text-sm">
        <p>
          <span className="text-slate-600">{t("issuer")}: </span>
          <span className="font-medium">{view.merchant.name}</span>
        </p>
        {view.merchant.registrationNumber ? (
          <p data-testid="receipt-registration">
            <span className="text-slate-600">{t("registrationNumber")}: </span>
            <span className="font-mono">{view.merchant.registrationNumber}</span>
          </p>
        ) : null}
      </footer>
    </Root>
  );
}
