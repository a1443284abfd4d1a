import type { ReactNode } from "react";
import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { Card, CardTitle } from "@/components/ui/card";
import { StatusBadge } from "@/components/console/status-badge";
import { DASHBOARD_STATUSES, ratio } from "@/lib/billing/dashboard-metrics";
import { formatMoney } from "@/lib/billing/money";
import { SUBSCRIPTION_STATUSES } from "@/lib/billing/subscription-state";
import { requireStaff } from "@/lib/console/staff-context";
import { dashboard } from "@/lib/services/queries/dashboard";
import { subscriptionCountsByStatus } from "@/lib/services/queries/subscriptions";
import { MrrChart, RecoveryChart, StatusChart } from "./_components/dashboard-charts";

const STATUS_COLORS: Record<(typeof DASHBOARD_STATUSES)[number], string> = { active: "#15803d", trialing: "#0369a1", past_due: "#b45309", unpaid: "#b91c1c" };

function Figure({ id, term, value, definition }: { id: string; term: string; value: string; definition: string }) {
  return (
    <div className="flex flex-col gap-1 rounded-md border border-slate-200 p-3">
      <dt className="text-sm font-medium text-slate-700">{term}</dt>
      <dd className="text-2xl font-semibold tabular-nums" data-testid={`figure-${id}`}>
        {value}
      </dd>
      <dd className="text-xs leading-relaxed text-slate-600">{definition}</dd>
    </div>
  );
}

export default async function ConsoleHomePage() {
  const { ctx } = await requireStaff();
  const [t, td, tStatus, format, locale, counts, figures] = await Promise.all([
    getTranslations("console.home"),
    getTranslations("dashboard"),
    getTranslations("common.status"),
    getFormatter(),
    getLocale(),
    subscriptionCountsByStatus(ctx),
    dashboard(ctx),
  ]);
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const yen = (amount: number) => formatMoney({ amount, currency: figures.currency }, locale === "en" ? "en-US" : "ja-JP");
  const percent = (rate: number | null) => (rate === null ? td("noRate") : format.number(rate, { style: "percent", maximumFractionDigits: 1 }));
  const thisMonth = figures.months.at(-1)!;
  const lastMonth = figures.months.at(-2);
  const failed = figures.months.reduce((sum, m) => sum + m.failedRenewals, 0);
  const recovered = figures.months.reduce((sum, m) => sum + m.recoveredRenewals, 0);
  const recoveredAmount = figures.months.reduce((sum, m) => sum + m.recoveredAmount, 0);
  const billable = DASHBOARD_STATUSES.reduce((sum, s) => sum + figures.counts[s], 0);
  const hasHistory = billable > 0 || figures.months.some((m) => m.mrr > 0 || m.churnedMrr > 0 || m.failedRenewals > 0);

  return (
    <div className="flex max-w-5xl flex-col gap-6">
      <header>
        <h1 className="text-2xl font-bold">{td("title")}</h1>
        <p className="mt-1 text-sm text-slate-600">{td("lead", { timeZone: figures.timeZone })}</p>
      </header>

      <Card aria-labelledby="dashboard-figures">
        <CardTitle id="dashboard-figures">{td("figures")}</CardTitle>
        {!hasHistory ? (
          <p className="text-sm text-slate-600" data-testid="dashboard-empty">
            {td("empty")}
          </p>
        ) : (
          <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
            <Figure id="mrr" term={td("mrr")} value={yen(figures.mrr)} definition={td("mrrDefinition")} />
            <Figure id="new-mrr" term={td("newMrr")} value={yen(thisMonth.newMrr)} definition={td("newMrrDefinition")} />
            <Figure id="churned-mrr" term={td("churnedMrr")} value={yen(thisMonth.churnedMrr)} definition={td("churnedMrrDefinition")} />
            <Figure id="churn-rate" term={td("churnRate")} value={percent(lastMonth?.churnRate ?? null)} definition={td("churnRateDefinition")} />
            <Figure id="recovery-rate" term={td("recoveryRate")} value={percent(ratio(recovered, failed))} definition={td("recoveryRateDefinition")} />
            <Figure id="recovered-amount" term={td("recoveredAmount")} value={yen(recoveredAmount)} definition={td("recoveredAmountDefinition")} />
            <Figure
              id="upcoming-7"
              term={td("upcoming7")}
              value={td("upcomingValue", { count: figures.upcoming7.count, amount: yen(figures.upcoming7.amount) })}
              definition={td("upcomingDefinition", { days: 7 })}
            />
            <Figure
              id="upcoming-30"
              term={td("upcoming30")}
              value={td("upcomingValue", { count: figures.upcoming30.count, amount: yen(figures.upcoming30.amount) })}
              definition={td("upcomingDefinition", { days: 30 })}
            />
          </dl>
        )}
      </Card>

      {hasHistory && (
        <Card aria-labelledby="dashboard-charts">
          <CardTitle id="dashboard-charts">{td("charts")}</CardTitle>
          <div className="grid gap-6 lg:grid-cols-2">
            <ChartFigure id="chart-mrr" title={td("mrrChart")} definition={td("mrrChartDefinition")} className="lg:col-span-2">
              <MrrChart points={figures.months.map((m) => ({ month: m.month, mrr: m.mrr }))} locale={locale} currency={figures.currency} label={td("mrr")} />
              <MonthTable
                summary={td("dataTable")}
                testId="mrr-table"
                headers={[td("month"), td("mrr"), td("newMrr"), td("churnedMrr")]}
                rows={figures.months.map((m) => ({ month: m.month, cells: [yen(m.mrr), yen(m.newMrr), yen(m.churnedMrr)] }))}
              />
            </ChartFigure>

            <ChartFigure id="chart-status" title={td("statusChart")} definition={td("statusCountsDefinition")}>
              <StatusChart slices={DASHBOARD_STATUSES.map((s) => ({ label: tStatus(s), count: figures.counts[s], color: STATUS_COLORS[s] }))} label={td("count")} />
              <table className="w-full text-left text-sm tabular-nums" data-testid="status-table">
                <caption className="sr-only">{td("statusCounts")}</caption>
                <tbody>
                  {DASHBOARD_STATUSES.map((s) => (
                    <tr key={s}>
                      <th scope="row" className="font-normal">
                        <StatusBadge status={s} />
                      </th>
                      <td data-testid={`dashboard-count-${s}`}>{format.number(figures.counts[s])}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ChartFigure>

            <ChartFigure id="chart-recovery" title={td("recoveryChart")} definition={td("recoveryChartDefinition")}>
              <RecoveryChart
                points={figures.months.map((m) => ({ month: m.month, failed: m.failedRenewals, recovered: m.recoveredRenewals }))}
                labels={{ mrr: td("mrr"), failed: td("failed"), recovered: td("recovered"), count: td("count") }}
              />
              <MonthTable
                summary={td("dataTable")}
                headers={[td("month"), td("failed"), td("recovered"), td("recoveryRate")]}
                rows={figures.months.map((m) => ({ month: m.month, cells: [format.number(m.failedRenewals), format.number(m.recoveredRenewals), percent(m.recoveryRate)] }))}
              />
            </ChartFigure>
          </div>
        </Card>
      )}

      <Card aria-labelledby="by-status">
        <CardTitle id="by-status">{t("byStatus")}</CardTitle>
        {total === 0 ? (
          <p className="text-sm text-slate-600">{t("empty")}</p>
        ) : (
          <ul className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            {SUBSCRIPTION_STATUSES.map((status) => (
              <li key={status}>
                <Link
                  href={`/console/subscriptions?status=${status}`}
                  className="flex flex-col gap-2 rounded-md border border-slate-200 p-3 hover:border-sky-400 focus-visible:outline-2 focus-visible:outline-sky-600"
                >
                  <StatusBadge status={status} />
                  <span className="text-2xl font-semibold tabular-nums" data-testid={`count-${status}`}>
                    {format.number(counts[status] ?? 0)}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

/** A chart with its title and definition; the numbers it draws are in a table beside it (the chart is hidden from screen readers). */
function ChartFigure({ id, title, definition, className, children }: { id: string; title: string; definition: string; className?: string; children: ReactNode }) {
  return (
    <figure className={`flex flex-col gap-2 ${className ?? ""}`} aria-labelledby={id}>
      <figcaption>
        <h3 id={id} className="text-sm font-semibold">
          {title}
        </h3>
        <p className="text-xs text-slate-600">{definition}</p>
      </figcaption>
      {children}
    </figure>
  );
}

/** A chart's numbers by month, folded away under 「数値で見る」. */
function MonthTable({ summary, headers, rows, testId }: { summary: string; headers: string[]; rows: { month: string; cells: string[] }[]; testId?: string }) {
  return (
    <details className="text-sm">
      <summary className="cursor-pointer text-sky-800">{summary}</summary>
      <table className="mt-2 w-full text-left tabular-nums" data-testid={testId}>
        <thead>
          <tr>
            {headers.map((header) => (
              <th key={header} scope="col">
                {header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.month}>
              <th scope="row">{row.month}</th>
              {row.cells.map((cell, i) => (
                <td key={i}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
