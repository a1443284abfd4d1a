import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatMoney } from "@/lib/billing/money";
import type { InvoiceStatus } from "@/db/schema";
import type { CustomerOverview } from "@/lib/services/queries/customers";
import { DATE } from "../../formats";
import { EmptyNote, linkClass, Section } from "./section";

const TONE: Record<InvoiceStatus, BadgeTone> = { paid: "success", open: "danger", draft: "neutral", uncollectible: "muted", void: "muted" };

/** The customer's newest invoices across their contracts. */
export async function InvoicesSection({ invoices }: { invoices: CustomerOverview["invoices"] }) {
  const [t, format] = await Promise.all([getTranslations("customers"), getFormatter()]);
  const note = invoices.total > invoices.rows.length ? t("detail.newestOf", { shown: invoices.rows.length, total: invoices.total }) : null;
  return (
    <Section id="invoices" title={t("detail.invoices")} note={note}>
      {invoices.rows.length === 0 ? (
        <EmptyNote>{t("detail.invoicesEmpty")}</EmptyNote>
      ) : (
        <Table aria-labelledby="invoices-title">
          <THead>
            <tr>
              <TH scope="col">{t("detail.invoice")}</TH>
              <TH scope="col">{t("detail.kind")}</TH>
              <TH scope="col" className="text-right">
                {t("detail.amount")}
              </TH>
              <TH scope="col">{t("detail.invoiceStatus")}</TH>
              <TH scope="col">{t("detail.issued")}</TH>
              <TH scope="col">{t("detail.contract")}</TH>
            </tr>
          </THead>
          <TBody>
            {invoices.rows.map((invoice) => (
              <TR key={invoice.id} data-testid="invoice-row">
                <TD>
                  <code className="text-xs break-all">{invoice.id}</code>
                </TD>
                <TD className="whitespace-nowrap">{t(`invoiceKind.${invoice.kind}`)}</TD>
                <TD className="text-right whitespace-nowrap tabular-nums">
                  {formatMoney({ amount: invoice.total, currency: invoice.currency })}
                  {invoice.amountRefunded > 0 ? (
                    <span className="block text-xs text-slate-600">{t("detail.refunded", { amount: formatMoney({ amount: invoice.amountRefunded, currency: invoice.currency }) })}</span>
                  ) : null}
                </TD>
                <TD>
                  <Badge tone={TONE[invoice.status]}>{t(`invoiceStatus.${invoice.status}`)}</Badge>
                </TD>
                <TD className="whitespace-nowrap">{format.dateTime(invoice.issuedAt, DATE)}</TD>
                <TD>
                  <Link href={`/console/subscriptions/${invoice.subscriptionId}`} className={linkClass} aria-label={t("detail.openContract", { id: invoice.subscriptionId })}>
                    <code className="text-xs break-all">{invoice.subscriptionId}</code>
                  </Link>
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Section>
  );
}
