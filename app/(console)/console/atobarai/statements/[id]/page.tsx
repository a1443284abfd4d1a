import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { DateText } from "@/components/console/date-text";
import { TestClockBadge } from "@/components/console/test-clock-badge";
import { Card, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatMoney } from "@/lib/billing/money";
import { requireStaff } from "@/lib/console/staff-context";
import { ServiceError } from "@/lib/services/errors";
import { getAtobaraiStatement } from "@/lib/services/queries/atobarai-money";
import { CycleLabel } from "../_components/cycle-label";

const yen = (amount: number) => formatMoney({ amount, currency: "JPY" });

async function load(id: string) {
  const { ctx } = await requireStaff();
  try {
    return await getAtobaraiStatement(ctx, id);
  } catch (error) {
    if (error instanceof ServiceError && error.code === "not_found") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const view = await load((await params).id);
  return { title: (await getTranslations("atobaraiMoney.statements.detail"))("title", { start: view.statement.periodStart, end: view.statement.periodEnd }) };
}

/** One statement: the totals, the CSV and PDF, and its lines (each order's sale and fee, then the reversals). */
export default async function AtobaraiStatementPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const view = await load(id);
  const t = await getTranslations("atobaraiMoney.statements");
  const { statement: s } = view;
  const link = "text-sm font-medium text-sky-800 underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-sky-600";
  const base = `/console/atobarai/statements/${s.id}`;
  return (
    <div className="flex max-w-6xl flex-col gap-5">
      <nav aria-label={t("pagination")}>
        <Link href={s.testClockId ? `/console/atobarai/statements?clock=${s.testClockId}` : "/console/atobarai/statements"} className={link}>
          ← {t("detail.back")}
        </Link>
      </nav>
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="flex flex-wrap items-center gap-2 text-2xl font-bold">
            {t("detail.title", { start: s.periodStart, end: s.periodEnd })}
            {s.testClockId ? <TestClockBadge clock={{ id: s.testClockId, name: null }} testId="test-clock-badge" /> : null}
          </h1>
          <p className="mt-1 text-sm text-slate-600">
            <CycleLabel cycle={s.cycle} /> · {t("closedAt")} <DateText value={s.closedAt} withTime />
          </p>
        </div>
        <div className="flex flex-wrap gap-3">
          <a href={`${base}/csv`} className={link} download>
            {t("detail.csv")}
          </a>
          <a href={`${base}/csv?encoding=shift_jis`} className={link} download>
            {t("detail.csvShiftJis")}
          </a>
          <a href={`${base}/pdf`} className={link} target="_blank" rel="noopener">
            {t("detail.pdf")}
          </a>
        </div>
      </header>
      <Card aria-label={t("net")}>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-5" data-testid="statement-totals">
          {(
            [
              ["orders", String(s.orderCount)],
              ["sales", yen(s.sales)],
              ["fees", `−${yen(s.fees)}`],
              ["reversals", `−${yen(s.reversals)}`],
              ["net", yen(s.net)],
            ] as const
          ).map(([key, value]) => (
            <div key={key}>
              <dt className="text-xs text-slate-600">{t(key)}</dt>
              <dd className={`text-lg font-semibold tabular-nums ${key === "net" && s.net < 0 ? "text-red-700" : ""}`}>{value}</dd>
            </div>
          ))}
        </dl>
        {s.net < 0 ? <p className="mt-3 text-sm text-slate-700">{t("detail.owed")}</p> : null}
      </Card>
      <Card aria-labelledby="statement-lines">
        <CardTitle id="statement-lines">{t("detail.lines")}</CardTitle>
        {view.lines.length === 0 ? (
          <p className="text-sm text-slate-700">{t("detail.noLines")}</p>
        ) : (
          <Table data-testid="statement-lines">
            <THead>
              <TR>
                <TH scope="col">{t("detail.kind")}</TH>
                <TH scope="col">{t("detail.order")}</TH>
                <TH scope="col">{t("detail.buyer")}</TH>
                <TH scope="col">{t("detail.shippedOn")}</TH>
                <TH scope="col" className="text-right">
                  {t("detail.amount")}
                </TH>
              </TR>
            </THead>
            <TBody>
              {view.lines.map((line) => (
                <TR key={line.id}>
                  <TD>{t(`detail.kinds.${line.kind}`)}</TD>
                  <TD>
                    <Link href={`/console/atobarai/orders/${line.orderId}`} className={link}>
                      {line.orderRef}
                    </Link>
                  </TD>
                  <TD>{line.buyerName}</TD>
                  <TD>{line.shippedAt ? <DateText value={line.shippedAt} /> : null}</TD>
                  <TD className={`text-right tabular-nums ${line.amount < 0 ? "text-red-700" : ""}`}>{yen(line.amount)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </div>
  );
}
