import type { Metadata } from "next";
import Link from "next/link";
import { createLoader, parseAsString, type SearchParams } from "nuqs/server";
import { getTranslations } from "next-intl/server";
import { DateText } from "@/components/console/date-text";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { requireStaff } from "@/lib/console/staff-context";
import { staffMay } from "@/lib/services/authorize";
import { listSuppressions } from "@/lib/services/queries/outbox";
import { OutboxTabs } from "../_components/outbox-tabs";
import { RemoveSuppressionButton } from "../_components/remove-suppression-button";
import { SuppressionSearch } from "../_components/suppression-search";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("outbox.suppressions"))("heading") };
}

const loadParams = createLoader({ q: parseAsString.withDefault("") });
const link = "font-medium text-sky-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600";

/** 配信停止リスト: the addresses the merchant's mails no longer go to, each removable by operators and up. */
export default async function SuppressionsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { ctx, staff } = await requireStaff();
  const { q } = await loadParams(searchParams);
  const [t, tOutbox, list] = await Promise.all([getTranslations("outbox.suppressions"), getTranslations("outbox"), listSuppressions(ctx, { q })]);
  const removeRefusal = staffMay(staff.role, "mails.operate") ? null : t("forbidden");
  return (
    <div className="flex max-w-6xl flex-col gap-5">
      <header>
        <h1 className="text-2xl font-bold">{tOutbox("title")}</h1>
        <p className="mt-1 text-sm text-slate-600">{tOutbox("lead")}</p>
      </header>
      <OutboxTabs current="suppressions" />
      <section aria-labelledby="suppressions-title" className="flex flex-col gap-4">
        <div>
          <h2 id="suppressions-title" className="text-lg font-semibold">
            {t("heading")}
          </h2>
          <p className="mt-1 text-sm text-slate-600">{t("lead")}</p>
        </div>
        <SuppressionSearch initial={q} />
        {list.total > list.rows.length ? <p className="text-sm text-slate-600">{t("newest", { shown: list.rows.length, total: list.total })}</p> : null}
        {list.rows.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-700" data-testid="suppressions-empty">
            {q ? t("noMatch") : t("empty")}
          </p>
        ) : (
          <Table aria-labelledby="suppressions-title">
            <THead>
              <tr>
                <TH scope="col">{t("address")}</TH>
                <TH scope="col">{t("reason")}</TH>
                <TH scope="col">{t("createdAt")}</TH>
                <TH scope="col">{t("source")}</TH>
                <TH scope="col">{t("actions")}</TH>
              </tr>
            </THead>
            <TBody>
              {list.rows.map((row) => (
                <TR key={row.id} data-testid="suppression-row">
                  <TD className="break-all">{row.address}</TD>
                  <TD>{t(`reasons.${row.reason}`)}</TD>
                  <TD className="whitespace-nowrap">
                    <DateText value={row.createdAt} withTime />
                  </TD>
                  <TD>
                    {row.sourceMailId ? (
                      <Link href={`/console/mails/${row.sourceMailId}`} className={link}>
                        {t("openMail")}
                      </Link>
                    ) : (
                      "—"
                    )}
                  </TD>
                  <TD>
                    <RemoveSuppressionButton suppressionId={row.id} address={row.address} disabledReason={removeRefusal} />
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </section>
    </div>
  );
}
