import Link from "next/link";
import { useTranslations } from "next-intl";
import { DateText } from "@/components/console/date-text";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { ClockStatusBadge } from "./clock-status-badge";

export type ClockRow = {
  id: string;
  name: string | null;
  frozenTime: Date;
  status: "ready" | "advancing";
  targetTime: Date | null;
  customerCount: number;
  subscriptionCount: number;
  createdAt: Date;
};

/** The merchant's test clocks, newest first; each name links to the clock's page. */
export function ClocksTable({ rows }: { rows: ClockRow[] }) {
  const t = useTranslations("testClocks");
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <Table>
        <caption className="sr-only">{t("list.caption")}</caption>
        <THead>
          <TR>
            <TH scope="col">{t("list.name")}</TH>
            <TH scope="col">{t("list.frozenTime")}</TH>
            <TH scope="col">{t("list.status")}</TH>
            <TH scope="col">{t("list.customers")}</TH>
            <TH scope="col">{t("list.contracts")}</TH>
            <TH scope="col">{t("list.created")}</TH>
          </TR>
        </THead>
        <TBody>
          {rows.map((row) => (
            <TR key={row.id} data-testid={`clock-${row.id}`}>
              <TD>
                <Link href={`/console/test-clocks/${row.id}`} className="font-medium text-sky-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600">
                  {row.name ?? t("unnamed")}
                </Link>
              </TD>
              <TD className="whitespace-nowrap">
                <DateText value={row.frozenTime} withTime />
              </TD>
              <TD>
                <div className="flex flex-col items-start gap-1">
                  <ClockStatusBadge status={row.status} />
                  {row.status === "advancing" && row.targetTime ? (
                    <span className="text-xs text-slate-600">
                      {t("list.heading")} <DateText value={row.targetTime} withTime />
                    </span>
                  ) : null}
                </div>
              </TD>
              <TD className="tabular-nums">{row.customerCount}</TD>
              <TD className="tabular-nums">{row.subscriptionCount}</TD>
              <TD className="whitespace-nowrap">
                <DateText value={row.createdAt} withTime />
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </div>
  );
}
