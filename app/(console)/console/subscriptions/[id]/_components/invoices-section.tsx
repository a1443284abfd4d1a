import { getFormatter, getTranslations } from "next-intl/server";
import { DateText } from "@/components/console/date-text";
import { DeclineExplanation } from "@/components/console/decline-explanation";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { StaffRole } from "@/lib/auth/roles";
import type { refunds as refundsTable, InvoiceStatus } from "@/db/schema";
import { formatMoney } from "@/lib/billing/money";
import { DATE_FORMAT } from "@/lib/i18n/formats";
import { refundableAmount, refundAvailability } from "@/lib/services/queries/contract-actions";
import type { InvoiceDispute, InvoiceView } from "@/lib/services/queries/invoices";
import { attemptCharge } from "@/lib/services/queries/subscriptions";
import { RefundDialog } from "./refund-dialog";

type RefundRow = typeof refundsTable.$inferSelect;

const STATUS_TONE: Record<InvoiceStatus, BadgeTone> = { draft: "muted", open: "danger", paid: "success", uncollectible: "muted", void: "muted" };

/**
 * The contract's invoices, newest first: each with its lines, its payment attempts (a declined one explained) and its
 * refunds, and a refund button for those who may refund. A disputed one says so, with the chargeback's status.
 */
export async function InvoicesSection({
  subscriptionId,
  invoices,
  refunds,
  disputes,
  hasMore,
  role,
}: {
  subscriptionId: string;
  invoices: InvoiceView[];
  refunds: RefundRow[];
  /** The latest chargeback of each disputed invoice, by invoice id. */
  disputes: Map<string, InvoiceDispute>;
  hasMore: boolean;
  role: StaffRole;
}) {
  const t = await getTranslations("subscription");
  const tBilling = await getTranslations("billing");
  const tDisabled = await getTranslations("subscription.disabled");
  const format = await getFormatter();
  const money = (amount: number, currency: string) => formatMoney({ amount, currency });
  return (
    <Card aria-labelledby="invoices-heading">
      <CardTitle id="invoices-heading">{t("invoices.heading")}</CardTitle>
      {invoices.length === 0 ? <p className="text-sm text-slate-600">{t("invoices.empty")}</p> : null}
      {hasMore ? <p className="mb-2 text-sm text-slate-600">{t("invoices.more", { count: invoices.length })}</p> : null}
      <ul className="flex flex-col gap-3">
        {invoices.map((invoice) => {
          const own = refunds.filter((r) => r.invoiceId === invoice.id);
          const facts = { status: invoice.status, total: invoice.total, refunds: own };
          const availability = refundAvailability(role, facts);
          const issued = format.dateTime(invoice.issuedAt, DATE_FORMAT);
          const failed = invoice.attempts.some((a) => a.status === "failed");
          return (
            <li key={invoice.id} className="rounded-md border border-slate-200" data-testid={`invoice-${invoice.id}`}>
              <div className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 text-sm">
                <span className="w-32">
                  <DateText value={invoice.issuedAt} />
                </span>
                <span>{tBilling(`invoiceKind.${invoice.kind}`)}</span>
                <Badge tone={STATUS_TONE[invoice.status]}>{tBilling(`invoiceStatus.${invoice.status}`)}</Badge>
                {invoice.disputedAt ? <DisputeBadge dispute={disputes.get(invoice.id)} /> : null}
                <span className="font-semibold tabular-nums">{money(invoice.total, invoice.currency)}</span>
                {invoice.amountRefunded > 0 ? (
                  <span className="text-slate-700">
                    {t("invoices.refunded")} {money(invoice.amountRefunded, invoice.currency)}
                  </span>
                ) : null}
                <span className="ml-auto">
                  <RefundDialog
                    subscriptionId={subscriptionId}
                    invoice={{ id: invoice.id, total: invoice.total, currency: invoice.currency, refundable: refundableAmount(facts) }}
                    disabledReason={availability.enabled ? null : tDisabled(availability.reason)}
                    issuedLabel={issued}
                  />
                </span>
              </div>
              <details className="border-t border-slate-100 px-4 py-2" open={invoice.status === "open" && failed}>
                <summary className="cursor-pointer text-sm text-sky-800" aria-label={t("invoices.detailsOf", { date: issued })}>
                  {t("invoices.details")}
                </summary>
                <div className="mt-3 flex flex-col gap-4">
                  <p className="text-xs text-slate-600">
                    {t("invoices.invoiceId")}: <code>{invoice.id}</code>
                    {invoice.periodStart && invoice.periodEnd ? (
                      <>
                        {" · "}
                        {t("invoices.period")}: {t("invoices.periodValue", { start: format.dateTime(invoice.periodStart, DATE_FORMAT), end: format.dateTime(invoice.periodEnd, DATE_FORMAT) })}
                      </>
                    ) : null}
                    {" · "}
                    {t("invoices.tax", { tax: money(invoice.tax, invoice.currency) })}
                  </p>
                  <Table aria-label={t("invoices.lines")}>
                    <THead>
                      <tr>
                        <TH scope="col">{t("invoices.lineDescription")}</TH>
                        <TH scope="col">{t("invoices.lineKind")}</TH>
                        <TH scope="col" className="text-right">
                          {t("invoices.quantity")}
                        </TH>
                        <TH scope="col" className="text-right">
                          {t("invoices.amount")}
                        </TH>
                      </tr>
                    </THead>
                    <TBody>
                      {invoice.lines.map((line) => (
                        <TR key={line.id}>
                          <TD>{line.description}</TD>
                          <TD>{tBilling(`lineKind.${line.kind}`)}</TD>
                          <TD className="text-right tabular-nums">{line.quantity}</TD>
                          <TD className="text-right tabular-nums">{money(line.amount, invoice.currency)}</TD>
                        </TR>
                      ))}
                    </TBody>
                  </Table>
                  <div>
                    <h3 className="mb-1 text-sm font-semibold">{t("invoices.attempts")}</h3>
                    {invoice.attempts.length === 0 ? (
                      <p className="text-sm text-slate-600">{t("invoices.noAttempts")}</p>
                    ) : (
                      <ol className="flex flex-col gap-2">
                        {invoice.attempts.map((attempt) => (
                          <li key={attempt.id} className="flex flex-col gap-1 rounded bg-slate-50 px-3 py-2 text-sm" data-testid="attempt">
                            <p className="flex flex-wrap items-center gap-3">
                              <span className="tabular-nums">#{attempt.attemptNumber}</span>
                              <DateText value={attempt.attemptedAt} withTime />
                              <span>{tBilling(`charge.${attemptCharge(attempt, invoice.kind)}`)}</span>
                              <span className="tabular-nums">{money(attempt.amount, attempt.currency)}</span>
                              <Badge tone={attempt.status === "succeeded" ? "success" : attempt.status === "failed" ? "danger" : "warning"}>{tBilling(`attemptStatus.${attempt.status}`)}</Badge>
                            </p>
                            {attempt.status === "failed" ? <DeclineExplanation code={attempt.failureCode} /> : null}
                          </li>
                        ))}
                      </ol>
                    )}
                  </div>
                  {own.length > 0 ? (
                    <div>
                      <h3 className="mb-1 text-sm font-semibold">{t("invoices.refunds")}</h3>
                      <ul className="flex flex-col gap-1 text-sm">
                        {own.map((refund) => (
                          <li key={refund.id} className="flex flex-wrap items-center gap-3" data-testid="refund">
                            <DateText value={refund.createdAt} withTime />
                            <span className="tabular-nums">{money(refund.amount, refund.currency)}</span>
                            <Badge tone={refund.status === "succeeded" ? "success" : refund.status === "failed" ? "danger" : "warning"}>{tBilling(`refundStatus.${refund.status}`)}</Badge>
                            {refund.reason ? <span className="text-slate-700">{t("invoices.refundReason", { reason: refund.reason })}</span> : null}
                          </li>
                        ))}
                      </ul>
                    </div>
                  ) : null}
                </div>
              </details>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}

/** 「チャージバック」 on a disputed invoice, with where the chargeback stands (what the bank decided, once it has). */
async function DisputeBadge({ dispute }: { dispute: InvoiceDispute | undefined }) {
  const t = await getTranslations("subscription.invoices");
  const tBilling = await getTranslations("billing");
  const settled = dispute && (dispute.status === "won" || dispute.status === "warning_closed" || dispute.status === "charge_refunded");
  return (
    <Badge tone={settled ? "muted" : "warning"} data-testid="dispute-badge">
      {dispute ? t("disputedWith", { status: tBilling(`disputeStatus.${dispute.status}`) }) : t("disputed")}
    </Badge>
  );
}
