import { getFormatter, getTranslations } from "next-intl/server";
import { DateText } from "@/components/console/date-text";
import { declineTitle } from "@/components/console/decline-explanation";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { ContractFuture, FutureCharge, FutureEvent } from "@/lib/billing/contract-future";
import { formatMoney } from "@/lib/billing/money";
import { isEnded, type SubscriptionStatus } from "@/lib/billing/subscription-state";
import { DATE_FORMAT } from "@/lib/i18n/formats";
import { CardFailsToggle } from "./card-fails-toggle";

/**
 * 「この先12か月」: the contract's forecast (lib/billing/contract-future.ts) as a dated list — each charge with its
 * amount and what it is for, and, with the toggle on, the retries, notices and withdrawal of a card that keeps
 * failing. Dates are the merchant's time zone (the formatter carries it).
 */
export async function FutureSection({ future, status, cardFails }: { future: ContractFuture; status: SubscriptionStatus; cardFails: boolean }) {
  const t = await getTranslations("contractFuture");
  const tBilling = await getTranslations("billing");
  const tStatus = await getTranslations("common.status");
  const tDeclines = await getTranslations("declines");
  const format = await getFormatter();
  const until = format.dateTime(future.until, DATE_FORMAT);
  const day = (at: Date | null) => (at ? format.dateTime(at, DATE_FORMAT) : "");
  const paid = future.events.filter((e): e is FutureCharge => e.type === "charge" && e.outcome === "paid");
  const currency = paid[0]?.amount.currency;
  const ended = isEnded(status);
  // With nothing to charge, a failing card changes nothing: no toggle (it stays while on, to be turned off).
  const canFail = cardFails || future.events.some((e) => e.type === "charge");

  const describe = (event: FutureEvent) => {
    switch (event.type) {
      case "charge": {
        const title = event.reason === "retry" ? t("charge.retry", { attempt: event.attempt }) : t(`charge.${event.reason}`);
        const details = [
          event.planName,
          event.periodStart && event.periodEnd ? t("period", { start: day(event.periodStart), end: day(event.periodEnd) }) : null,
          event.joiningFee ? t("joiningFee") : null,
          event.prorated ? t("prorated") : null,
          event.creditApplied > 0 ? t("credit", { amount: formatMoney({ amount: event.creditApplied, currency: event.amount.currency }) }) : null,
        ].filter(Boolean);
        return (
          <>
            <span className="font-medium">{title}</span>
            {details.length > 0 ? <span className="block text-xs text-slate-600">{details.join("・")}</span> : null}
          </>
        );
      }
      case "free_period":
        return t("freePeriod", { end: day(event.periodEnd) });
      case "mail":
        return t("mail", { template: tBilling(`mailTemplate.${event.template}`) });
      case "fallback_invoice":
        return t("fallbackInvoice");
      case "status":
        return t("status", { from: tStatus(event.from), to: tStatus(event.to) });
    }
  };

  return (
    <Card aria-labelledby="future-heading" data-testid="contract-future">
      <CardTitle id="future-heading">{t("heading")}</CardTitle>
      {ended ? (
        <p className="text-sm text-slate-600">{t("empty.ended")}</p>
      ) : (
        <div className="flex flex-col gap-3">
          <p className="text-sm text-slate-700">{t("intro", { until })}</p>
          {canFail ? <CardFailsToggle /> : null}
          {future.usageExcluded ? <p className="text-sm text-amber-900">{t("usageExcluded")}</p> : null}
          {cardFails && future.withdrawalDisabled && future.finalStatus === "unpaid" ? <p className="text-sm text-slate-700">{t("withdrawalDisabled")}</p> : null}
          {future.events.length === 0 ? (
            <p className="text-sm text-slate-600" data-testid="future-empty">
              {t(status === "paused" ? "empty.paused" : status === "incomplete" ? "empty.incomplete" : "empty.none")}
            </p>
          ) : (
            <>
              <p className="text-sm font-medium" data-testid="future-summary">
                {currency ? t("summary", { count: paid.length, total: formatMoney({ amount: paid.reduce((s, c) => s + c.amount.amount, 0), currency }) }) : t("summaryNone")}
              </p>
              <Table data-testid="future-events">
                <caption className="sr-only">{t("table.caption", { until })}</caption>
                <THead>
                  <TR>
                    <TH scope="col">{t("table.at")}</TH>
                    <TH scope="col">{t("table.event")}</TH>
                    <TH scope="col" className="text-right">
                      {t("table.amount")}
                    </TH>
                    <TH scope="col">{t("table.result")}</TH>
                  </TR>
                </THead>
                <TBody>
                  {future.events.map((event, i) => (
                    <TR key={i} data-testid={`future-${event.type}`}>
                      <TD className="whitespace-nowrap">
                        <DateText value={event.at} withTime />
                      </TD>
                      <TD>{describe(event)}</TD>
                      <TD className="text-right whitespace-nowrap tabular-nums">
                        {event.type === "charge" ? (
                          <>
                            {formatMoney(event.amount)}
                            {event.tax > 0 ? <span className="block text-xs text-slate-600">{t("tax", { tax: formatMoney({ amount: event.tax, currency: event.amount.currency }) })}</span> : null}
                          </>
                        ) : null}
                      </TD>
                      <TD>
                        {event.type === "charge" ? (
                          event.outcome === "paid" ? (
                            <Badge tone="success">{t("paid")}</Badge>
                          ) : (
                            <Badge tone="danger" title={declineTitle(tDeclines, event.failureCode)}>
                              {t("declined")}
                            </Badge>
                          )
                        ) : null}
                      </TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
            </>
          )}
        </div>
      )}
    </Card>
  );
}
