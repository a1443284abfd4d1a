import type { Metadata } from "next";
import Link from "next/link";
import type { SearchParams } from "nuqs/server";
import { getTranslations } from "next-intl/server";
import { requireStaff } from "@/lib/console/staff-context";
import { searchOutbox } from "@/lib/services/queries/outbox";
import { OutboxFilters } from "../_components/outbox-filters";
import { OutboxPagination } from "../_components/outbox-pagination";
import { OutboxTable } from "../_components/outbox-table";
import { OutboxTabs } from "../_components/outbox-tabs";
import { loadOutboxSearch, outboxSearchHref, outboxStateOf, toOutboxSearch } from "../search-params";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("outbox"))("title") };
}

/** 送信履歴: the merchant's outbox, searched and paged on the server from the URL's state, newest first. */
export default async function OutboxPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { ctx } = await requireStaff();
  const search = toOutboxSearch(await loadOutboxSearch(searchParams));
  const [t, list] = await Promise.all([getTranslations("outbox"), searchOutbox(ctx, search)]);
  const from = (list.page - 1) * list.perPage + 1;
  const to = Math.min(list.total, list.page * list.perPage);
  const filtered = Boolean(search.q || search.template || search.status || search.subscriptionId || search.from || search.to);
  const link = "text-sm font-medium text-sky-800 underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-sky-600";
  return (
    <div className="flex max-w-6xl flex-col gap-5">
      <header>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="mt-1 text-sm text-slate-600">{t("lead")}</p>
      </header>
      <OutboxTabs current="mails" />
      <OutboxFilters />
      <p className="text-sm text-slate-700" data-testid="outbox-summary">
        {list.total === 0 ? t("summaryNone") : from <= list.total ? t("summary", { total: list.total, from, to }) : t("empty.pastEnd")}
      </p>
      {list.rows.length > 0 ? (
        <>
          <OutboxTable rows={list.rows} />
          <OutboxPagination search={search} pageCount={list.pageCount} />
        </>
      ) : (
        <div className="flex flex-col items-start gap-2 rounded-lg border border-dashed border-slate-300 bg-white p-6" data-testid="outbox-empty">
          {list.total > 0 ? (
            <Link href={`/console/mails${outboxSearchHref({ ...outboxStateOf(search), page: list.pageCount })}`} className={link}>
              {t("empty.toLastPage")}
            </Link>
          ) : filtered ? (
            <>
              <p className="text-sm text-slate-700">{t("empty.noMatch")}</p>
              <Link href="/console/mails" className={link}>
                {t("filters.clear")}
              </Link>
            </>
          ) : (
            <p className="text-sm text-slate-700">{t("empty.none")}</p>
          )}
        </div>
      )}
    </div>
  );
}
