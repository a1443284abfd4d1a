import { getFormatter, getTranslations } from "next-intl/server";
import { DateText } from "@/components/console/date-text";
import { Card, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatMoney } from "@/lib/billing/money";
import { DATE_TIME_FORMAT } from "@/lib/i18n/formats";
import type { AuditActor, AuditTrailEntry } from "@/lib/services/queries/audit-events";

/** Who did what to the contract and its invoices, newest first: staff by name and role, API keys, the system. */
export async function AuditSection({ rows, hasMore }: { rows: AuditTrailEntry[]; hasMore: boolean }) {
  const t = await getTranslations("subscription.audit");
  const tCommon = await getTranslations("common");
  const format = await getFormatter();

  function actor(a: AuditActor): string {
    switch (a.type) {
      case "staff":
        return a.name && a.role ? t("actors.staff", { name: a.name, role: tCommon(`role.${a.role}`) }) : t("actors.staffRemoved");
      case "api_key":
        return a.name ? t("actors.apiKey", { name: a.name }) : a.prefix ? t("actors.apiKeyPrefix", { prefix: a.prefix }) : t("actors.apiKeyRemoved");
      case "customer":
        return a.name ? t("actors.customer", { name: a.name }) : t("actors.customerUnknown");
      case "system":
        return t("actors.system");
      case "operator":
        return t("actors.operator");
    }
  }

  function action(entry: AuditTrailEntry): string {
    const key = `actions.${entry.action.replace(/\./g, "_")}` as "actions.subscription_created";
    return t.has(key) ? t(key) : entry.action;
  }

  /** The facts of the event a reader wants beside its name; the rest stays in the record. */
  function details(entry: AuditTrailEntry): string {
    const d = entry.data;
    const text = (v: unknown) => (typeof v === "string" && v ? v : null);
    const amount = typeof d.amount === "number" ? formatMoney({ amount: d.amount, currency: text(d.currency) ?? "jpy" }) : null;
    const parts: string[] = [];
    switch (entry.action) {
      case "subscription.canceled":
        parts.push(t(d.atPeriodEnd ? "details.cancelAtPeriodEnd" : "details.cancelNow"));
        break;
      case "subscription.retry_scheduled":
        if (text(d.at)) parts.push(format.dateTime(new Date(text(d.at)!), DATE_TIME_FORMAT));
        break;
      case "invoice.additional_charge":
        if (amount) parts.push(t("details.amount", { amount }));
        if (d.extendPaidThrough) parts.push(t("details.extended"));
        break;
      case "invoice.paid":
        if (typeof d.total === "number") parts.push(formatMoney({ amount: d.total, currency: text(d.currency) ?? "jpy" }));
        break;
      case "invoice.payment_failed":
        if (text(d.failureCode)) parts.push(t("details.decline", { code: text(d.failureCode)! }));
        break;
      case "invoice.refunded":
        if (amount) parts.push(t("details.amount", { amount }));
        break;
      case "usage.recorded":
        if (text(d.metric)) parts.push(t("details.usage", { metric: text(d.metric)!, quantity: Number(d.quantity) }));
        break;
    }
    if (text(d.reason)) parts.push(t("details.reason", { reason: text(d.reason)! }));
    return parts.join(" / ");
  }

  return (
    <Card aria-labelledby="audit-heading">
      <CardTitle id="audit-heading">{t("heading")}</CardTitle>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">{t("empty")}</p>
      ) : (
        <>
          {hasMore ? <p className="mb-2 text-sm text-slate-600">{t("more", { count: rows.length })}</p> : null}
          <Table aria-labelledby="audit-heading" data-testid="audit">
            <THead>
              <tr>
                <TH scope="col">{t("at")}</TH>
                <TH scope="col">{t("actor")}</TH>
                <TH scope="col">{t("action")}</TH>
              </tr>
            </THead>
            <TBody>
              {rows.map((entry) => (
                <TR key={entry.id}>
                  <TD className="whitespace-nowrap">
                    <DateText value={entry.occurredAt} withTime />
                  </TD>
                  <TD>{actor(entry.actor)}</TD>
                  <TD>
                    {action(entry)}
                    {details(entry) ? <span className="ml-2 text-slate-600">{details(entry)}</span> : null}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </>
      )}
    </Card>
  );
}
