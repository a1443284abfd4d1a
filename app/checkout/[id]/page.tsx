import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { formatMoney } from "@/lib/billing/money";
import type { QuotedCharge } from "@/lib/billing/sign-up-quote";
import { getDatabase } from "@/lib/runtime";
import { configuredPlatform } from "@/lib/platform";
import { cardFormFor } from "@/lib/services/queries/card-form";
import { loadCheckoutPage } from "@/lib/services/queries/checkout-links";
import { CheckoutForm } from "./_components/checkout-form";

export const metadata: Metadata = { robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

/**
 * The hosted checkout: the final confirmation screen 特定商取引法 asks for (what is sold, the first charge and its date,
 * every later charge and when, the cycle, how payment is taken, how to cancel and from when, tax, the seller's
 * legal notice), filled from the plan by the sign-up decision's own numbers, then the customer's details and card.
 */
export default async function CheckoutPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const database = await getDatabase();
  const page = await loadCheckoutPage(database.db, id, new Date());
  if (!page) notFound();
  const cardForm = await cardFormFor(configuredPlatform(database), page.merchant.id);
  const t = await getTranslations("checkout");
  const format = await getFormatter();
  const { quote } = page;
  const money = (amount: number) => formatMoney({ amount, currency: quote.currency });
  const date = (local: string) => format.dateTime(new Date(`${local}T00:00:00Z`), { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
  const interval = t(`intervals.${quote.interval}`);
  const cycle =
    quote.interval === "week" || quote.interval === "2week"
      ? t("summary.weekday", { interval, weekday: t(`weekdays.${String(quote.billingAnchor) as "0"}`) })
      : quote.billingAnchor >= 31
        ? t("summary.monthEnd", { interval })
        : t("summary.monthDay", { interval, day: quote.billingAnchor });
  const taxNote = (charge: QuotedCharge) =>
    quote.taxBehavior === "inclusive" ? t("summary.taxInclusive", { rate: quote.taxRate, tax: money(charge.tax) }) : t("summary.taxExclusive", { rate: quote.taxRate });

  const rows: [string, React.ReactNode][] = [
    [t("summary.product"), <>{page.product.name}{page.plan.name !== page.product.name ? `（${page.plan.name}）` : ""}</>],
    ...(quote.trialEndsOn ? ([[t("summary.trial"), t("summary.trialUntil", { date: date(quote.trialEndsOn) })]] as [string, string][]) : []),
    [
      t("summary.firstCharge"),
      <>
        <span data-testid="first-charge">{quote.first.atSignUp ? t("summary.firstChargeAtSignUp", { amount: money(quote.first.total) }) : t("summary.firstChargeOn", { amount: money(quote.first.total), date: date(quote.first.date) })}</span>
        <ul className="mt-1 text-xs text-slate-600" aria-label={t("summary.lines")}>
          {quote.first.lines.map((line, i) => (
            <li key={i}>
              {line.description}: {money(line.amount)}
            </li>
          ))}
          <li>{taxNote(quote.first)}</li>
        </ul>
      </>,
    ],
    [
      t("summary.laterCharges"),
      <span key="later" data-testid="later-charges">
        {t("summary.laterChargesValue", { amount: money(quote.recurring.total), cycle: interval, date: date(quote.recurring.date), then: quote.thenOn.map(date).join("、") })}
      </span>,
    ],
    [t("summary.cycle"), cycle],
    [t("summary.payment"), t("summary.paymentValue")],
    [t("summary.tax"), taxNote(quote.recurring)],
    [t("summary.cancel"), <>{t("summary.cancelValue")} {t("summary.autoRenew")}</>],
  ];

  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-6 px-4 py-8">
      <header className="flex flex-col gap-1">
        <p className="text-sm text-slate-600">{t("seller", { name: page.merchant.name })}</p>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
      </header>
      <section aria-labelledby="summary-heading" className="rounded-lg border border-slate-300 p-4">
        <h2 id="summary-heading" className="mb-3 text-lg font-semibold">
          {t("summary.heading")}
        </h2>
        <dl className="grid grid-cols-1 gap-x-4 gap-y-3 text-sm sm:grid-cols-[10rem_1fr]">
          {rows.map(([term, value]) => (
            <div key={term} className="contents">
              <dt className="font-medium text-slate-700">{term}</dt>
              <dd className="text-slate-900">{value}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-3 text-sm">
          {page.merchant.tokushohoUrl ? (
            <a href={page.merchant.tokushohoUrl} target="_blank" rel="noopener noreferrer" className="text-sky-800 underline">
              {t("summary.tokushoho")}
            </a>
          ) : (
            t("summary.tokushohoMissing")
          )}
        </p>
      </section>
      <CheckoutForm linkId={page.link.id} attempt={crypto.randomUUID()} collect={page.link.collect} cardForm={cardForm} />
    </main>
  );
}
