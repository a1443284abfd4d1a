import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { DateText } from "@/components/console/date-text";
import { MailStatusBadge } from "@/components/console/mail-status-badge";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { formatMoney } from "@/lib/billing/money";
import { DATE_TIME_FORMAT } from "@/lib/i18n/formats";
import { describeTimelineEvent } from "@/lib/i18n/timeline";
import type { ClockActivity } from "@/lib/services/queries/test-clock-activity";

const KIND_TONE: Record<ClockActivity["kind"], BadgeTone> = { action: "neutral", invoice: "info", payment: "info", mail: "muted" };
const LINK = "text-sky-800 underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-sky-600";

/** What ran on the clock, oldest first, each at its clock time: actions, invoices, charges and mails, with whose. */
export async function ActivitySection({ entries }: { entries: ClockActivity[] }) {
  const t = await getTranslations();
  const format = await getFormatter();
  const wording = { t, dateTime: (at: Date) => format.dateTime(at, DATE_TIME_FORMAT) };

  function describe(entry: ClockActivity) {
    switch (entry.kind) {
      case "action":
      case "payment":
        return describeTimelineEvent(entry.event, wording);
      case "invoice":
        return t("testClocks.activity.invoice", {
          kind: t(`billing.invoiceKind.${entry.invoiceKind}`),
          amount: formatMoney({ amount: entry.total, currency: entry.currency }),
          status: t(`billing.invoiceStatus.${entry.status}`),
        });
      case "mail":
        return t("testClocks.activity.mail", { template: t(`billing.mailTemplate.${entry.template}`), to: entry.to });
    }
  }

  return (
    <Card aria-labelledby="clock-activity-title">
      <CardTitle id="clock-activity-title">{t("testClocks.activity.title")}</CardTitle>
      {entries.length === 0 ? (
        <p className="text-sm text-slate-600">{t("testClocks.activity.empty")}</p>
      ) : (
        <ol className="flex flex-col gap-2" data-testid="clock-activity">
          {entries.map((entry) => (
            <li key={`${entry.kind}-${entry.id}`} className="flex flex-col gap-1 border-l-2 border-slate-200 pl-3 sm:flex-row sm:items-baseline sm:gap-3">
              <span className="w-40 shrink-0 text-sm text-slate-600">
                <DateText value={entry.at} withTime />
              </span>
              <span className="flex shrink-0 gap-1">
                <Badge tone={KIND_TONE[entry.kind]}>{t(`testClocks.activity.kind.${entry.kind}`)}</Badge>
                {entry.kind === "mail" ? <MailStatusBadge status={entry.status} /> : null}
              </span>
              <span className="text-sm">
                {describe(entry)}
                {entry.customer ? (
                  <>
                    {" — "}
                    <Link href={`/console/customers/${entry.customer.id}`} className={LINK}>
                      {entry.customer.name}
                    </Link>
                  </>
                ) : null}
                {entry.subscriptionId ? (
                  <>
                    {" "}
                    <Link href={`/console/subscriptions/${entry.subscriptionId}`} className={`${LINK} text-xs`} aria-label={t("testClocks.activity.contractLabel", { id: entry.subscriptionId })}>
                      {t("testClocks.activity.contract")}
                    </Link>
                  </>
                ) : null}
                {entry.kind === "mail" ? (
                  <>
                    {" "}
                    <Link href={`/console/mails/${entry.id}`} className={`${LINK} text-xs`}>
                      {t("testClocks.activity.openMail")}
                    </Link>
                  </>
                ) : null}
              </span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
