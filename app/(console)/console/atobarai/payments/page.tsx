import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { DateText } from "@/components/console/date-text";
import { Card, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatMoney } from "@/lib/billing/money";
import { requireStaff } from "@/lib/console/staff-context";
import { listAtobaraiPaymentImports } from "@/lib/services/queries/atobarai-money";
import { atobaraiRefundsOwed } from "@/lib/services/queries/atobarai-orders";
import { ImportForm } from "./_components/import-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("atobaraiMoney.payments"))("title") };
}

/** 後払いの入金取込: upload a payment-notice file; what is owed back to buyers; the latest imports below with what each did. */
export default async function AtobaraiPaymentsPage() {
  const { ctx } = await requireStaff();
  const [t, tRefund, imports, owed] = await Promise.all([getTranslations("atobaraiMoney.payments"), getTranslations("atobarai.refund"), listAtobaraiPaymentImports(ctx), atobaraiRefundsOwed(ctx)]);
  return (
    <div className="flex max-w-5xl flex-col gap-5">
      <header>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="mt-1 text-sm text-slate-600">{t("lead")}</p>
      </header>
      <ImportForm />
      <Card aria-labelledby="refunds-owed-heading" data-testid="atobarai-refunds-owed">
        <CardTitle id="refunds-owed-heading">{tRefund("summaryHeading")}</CardTitle>
        {owed.orders === 0 ? (
          <p className="text-sm text-slate-700">{tRefund("summaryNone")}</p>
        ) : (
          <div className="flex flex-col gap-2 text-sm">
            <p className="font-semibold text-amber-950">{tRefund("summary", { orders: owed.orders, amount: formatMoney({ amount: owed.total, currency: "JPY" }) })}</p>
            <Link href="/console/atobarai?refund=owed" className="text-sky-800 underline">
              {tRefund("summaryLink")}
            </Link>
          </div>
        )}
      </Card>
      <Card aria-labelledby="payment-import-history">
        <CardTitle id="payment-import-history">{t("history.heading")}</CardTitle>
        {imports.length === 0 ? (
          <p className="text-sm text-slate-700">{t("history.empty")}</p>
        ) : (
          <Table data-testid="payment-import-history">
            <THead>
              <TR>
                <TH scope="col">{t("history.at")}</TH>
                <TH scope="col">{t("history.file")}</TH>
                <TH scope="col">{t("history.encoding")}</TH>
                <TH scope="col" className="text-right">
                  {t("history.recorded")}
                </TH>
                <TH scope="col" className="text-right">
                  {t("history.duplicates")}
                </TH>
                <TH scope="col" className="text-right">
                  {t("history.refused")}
                </TH>
              </TR>
            </THead>
            <TBody>
              {imports.map((row) => (
                <TR key={row.id}>
                  <TD>
                    <DateText value={row.createdAt} withTime />
                  </TD>
                  <TD>{row.fileName}</TD>
                  <TD>{row.encoding === "shift_jis" ? "Shift_JIS" : "UTF-8"}</TD>
                  <TD className="text-right tabular-nums">{row.recorded}</TD>
                  <TD className="text-right tabular-nums">{row.duplicates}</TD>
                  <TD className="text-right tabular-nums">{row.refused}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </div>
  );
}
