import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { DateText } from "@/components/console/date-text";
import { TestClockBadge } from "@/components/console/test-clock-badge";
import { Button } from "@/components/ui/button";
import { Label, NativeSelect } from "@/components/ui/input";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatMoney } from "@/lib/billing/money";
import { requireStaff } from "@/lib/console/staff-context";
import { listAtobaraiStatements } from "@/lib/services/queries/atobarai-money";
import { listTestClockSummaries } from "@/lib/services/queries/test-clocks";
import { CycleLabel } from "./_components/cycle-label";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("atobaraiMoney.statements"))("title") };
}

const PATH = "/console/atobarai/statements";
const yen = (amount: number) => formatMoney({ amount, currency: "JPY" });

/**
 * 立替払いの精算書: one row per close, the latest first, 50 to a page (?before=<period end>); the live statements, or a
 * test clock's (?clock=<id>) when the merchant has test clocks.
 */
export default async function AtobaraiStatementsPage({ searchParams }: { searchParams: Promise<{ before?: string; clock?: string }> }) {
  const { ctx } = await requireStaff();
  const { before, clock } = await searchParams;
  const valid = typeof before === "string" && /^\d{4}-\d{2}-\d{2}$/.test(before) ? before : null;
  const clocks = await listTestClockSummaries(ctx);
  const testClock = clocks.find((c) => c.id === clock) ?? null;
  const [t, page] = await Promise.all([getTranslations("atobaraiMoney.statements"), listAtobaraiStatements(ctx, { before: valid, testClockId: testClock?.id ?? null })]);
  const here = (more: Record<string, string>) => `${PATH}?${new URLSearchParams({ ...(testClock ? { clock: testClock.id } : {}), ...more })}`;
  const link = "text-sm font-medium text-sky-800 underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-sky-600";
  return (
    <div className="flex max-w-6xl flex-col gap-5">
      <header>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="mt-1 text-sm text-slate-600">{t("lead")}</p>
      </header>
      {clocks.length > 0 ? (
        <form className="flex flex-wrap items-end gap-3" aria-label={t("scope")}>
          <div className="flex flex-col gap-1">
            <Label htmlFor="statements-clock">{t("scope")}</Label>
            <NativeSelect id="statements-clock" name="clock" defaultValue={testClock?.id ?? ""} className="w-72">
              <option value="">{t("live")}</option>
              {clocks.map((c) => (
                <option key={c.id} value={c.id}>
                  {t("clockOption", { name: c.name ?? c.id })}
                </option>
              ))}
            </NativeSelect>
          </div>
          <Button type="submit" variant="secondary">
            {t("show")}
          </Button>
        </form>
      ) : null}
      {testClock ? (
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700" data-testid="statements-clock-note">
          <TestClockBadge clock={testClock} />
          {t("clockNote")}
        </p>
      ) : null}
      {page.rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-700" data-testid="statements-empty">
          {t("empty")}
        </p>
      ) : (
        <Table data-testid="statements-table">
          <THead>
            <TR>
              <TH scope="col">{t("period")}</TH>
              <TH scope="col">{t("cycle")}</TH>
              <TH scope="col" className="text-right">
                {t("orders")}
              </TH>
              <TH scope="col" className="text-right">
                {t("sales")}
              </TH>
              <TH scope="col" className="text-right">
                {t("fees")}
              </TH>
              <TH scope="col" className="text-right">
                {t("reversals")}
              </TH>
              <TH scope="col" className="text-right">
                {t("net")}
              </TH>
              <TH scope="col">{t("closedAt")}</TH>
            </TR>
          </THead>
          <TBody>
            {page.rows.map((s) => (
              <TR key={s.id}>
                <TD>
                  <Link href={`${PATH}/${s.id}`} className={link}>
                    {s.periodStart} 〜 {s.periodEnd}
                  </Link>
                </TD>
                <TD>
                  <CycleLabel cycle={s.cycle} />
                </TD>
                <TD className="text-right tabular-nums">{s.orderCount}</TD>
                <TD className="text-right tabular-nums">{yen(s.sales)}</TD>
                <TD className="text-right tabular-nums">−{yen(s.fees)}</TD>
                <TD className="text-right tabular-nums">−{yen(s.reversals)}</TD>
                <TD className={`text-right font-semibold tabular-nums ${s.net < 0 ? "text-red-700" : ""}`}>{yen(s.net)}</TD>
                <TD>
                  <DateText value={s.closedAt} withTime />
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      {valid || page.hasMore ? (
        <nav aria-label={t("pagination")} className="flex gap-4 text-sm">
          {valid ? (
            <Link href={testClock ? here({}) : PATH} className={link}>
              {t("newest")}
            </Link>
          ) : null}
          {page.hasMore ? (
            <Link href={here({ before: page.rows.at(-1)!.periodEnd })} className={link}>
              {t("older")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
