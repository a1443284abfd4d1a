import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { DateText } from "@/components/console/date-text";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { formatMoney } from "@/lib/billing/money";
import { DATE_TIME_FORMAT } from "@/lib/i18n/formats";
import type { SubscriptionDetail } from "@/lib/services/queries/subscription-detail";

/** Rows of a definition list: a term and its value. */
function Field({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5 sm:flex-row sm:gap-3">
      <dt className="w-36 shrink-0 text-sm text-slate-600">{term}</dt>
      <dd className="text-sm text-slate-900">{children}</dd>
    </div>
  );
}

/** The contract at a glance: plan and price, paid-through date, next charge; the customer; the card on file. */
export async function ContractSummary({ detail }: { detail: SubscriptionDetail }) {
  const t = await getTranslations("subscription");
  const tBilling = await getTranslations("billing");
  const format = await getFormatter();
  const { subscription: sub, plan, customer, card, nextCharge } = detail;
  const none = <span className="text-slate-500">{t("summary.notSet")}</span>;
  const money = (amount: number, currency: string) => formatMoney({ amount, currency });
  return (
    <div className="grid gap-4 lg:grid-cols-3">
      <Card aria-labelledby="summary-heading" className="lg:col-span-2">
        <CardTitle id="summary-heading">{t("summary.heading")}</CardTitle>
        <dl className="flex flex-col gap-2">
          <Field term={t("summary.product")}>{plan.productName}</Field>
          <Field term={t("summary.plan")}>
            {plan.name}
            <span className="ml-2 text-slate-600">{t("summary.price", { interval: tBilling(`interval.${plan.interval}`), amount: money(plan.amount, plan.currency) })}</span>
          </Field>
          <Field term={t("summary.paidThrough")}>{sub.paidThrough ? <DateText value={sub.paidThrough} /> : none}</Field>
          <Field term={t("summary.nextCharge")}>
            {nextCharge ? (
              <span data-testid="next-charge">
                {t("summary.nextChargeValue", { date: format.dateTime(nextCharge.at, DATE_TIME_FORMAT), amount: money(nextCharge.total, nextCharge.currency) })}
                {nextCharge.usageIncluded ? <span className="block text-xs text-slate-600">{t("summary.nextChargeUsage")}</span> : null}
              </span>
            ) : (
              <span className="text-slate-600">{t("summary.nextChargeNone")}</span>
            )}
          </Field>
          {sub.trialEnd ? (
            <Field term={t("summary.trialEnd")}>
              <DateText value={sub.trialEnd} />
            </Field>
          ) : null}
          <Field term={t("summary.createdAt")}>
            <DateText value={sub.createdAt} withTime />
          </Field>
          <Field term={t("summary.lastPaymentAt")}>{sub.lastPaymentAt ? <DateText value={sub.lastPaymentAt} withTime /> : none}</Field>
          {sub.canceledAt ? (
            <Field term={t("summary.canceledAt")}>
              <DateText value={sub.canceledAt} withTime />
            </Field>
          ) : null}
          {sub.endedAt ? (
            <Field term={t("summary.endedAt")}>
              <DateText value={sub.endedAt} withTime />
            </Field>
          ) : null}
          {sub.creditBalance > 0 ? <Field term={t("summary.creditBalance")}>{money(sub.creditBalance, plan.currency)}</Field> : null}
        </dl>
      </Card>
      <div className="flex flex-col gap-4">
        <Card aria-labelledby="customer-heading">
          <CardTitle id="customer-heading">{t("customer.heading")}</CardTitle>
          <dl className="flex flex-col gap-2">
            <Field term={t("customer.name")}>
              <Link
                href={`/console/customers/${customer.id}`}
                className="font-medium text-sky-800 underline underline-offset-2"
                aria-label={t("customer.open", { name: customer.name })}
              >
                {customer.name}
              </Link>
            </Field>
            <Field term={t("customer.email")}>
              <span className="break-all">{customer.email}</span>
            </Field>
          </dl>
        </Card>
        <Card aria-labelledby="card-heading">
          <CardTitle id="card-heading">{t("card.heading")}</CardTitle>
          {card ? (
            <div className="flex flex-col gap-1 text-sm" data-testid="card-on-file">
              <p className="font-medium">{t("card.number", { brand: card.brand.toUpperCase(), last4: card.last4 })}</p>
              <p className="flex flex-wrap items-center gap-2">
                {t("card.expiry", { month: String(card.expMonth).padStart(2, "0"), year: card.expYear })}
                {card.expiry === "expired" ? <Badge tone="danger">{t("card.expired")}</Badge> : null}
                {card.expiry === "expiring" ? <Badge tone="warning">{t("card.expiring")}</Badge> : null}
                {card.detached ? <Badge tone="muted">{t("card.detached")}</Badge> : null}
              </p>
            </div>
          ) : (
            <p className="text-sm text-slate-600">{t("card.none")}</p>
          )}
        </Card>
      </div>
    </div>
  );
}
