import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ChevronLeft, ChevronRight } from "lucide-react";
import { cn } from "@/lib/cn";
import type { OutboxSearch } from "@/lib/services/queries/outbox-search";
import { outboxSearchHref, outboxStateOf } from "../search-params";

const linkClass =
  "inline-flex h-8 items-center gap-1 rounded-md border border-slate-300 bg-white px-3 text-sm font-medium text-slate-900 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600";

/** Previous / next as plain links carrying the rest of the search, so that paging works by keyboard and without JS. */
export async function OutboxPagination({ search, pageCount }: { search: OutboxSearch; pageCount: number }) {
  const t = await getTranslations("outbox.pagination");
  const href = (page: number) => `/console/mails${outboxSearchHref({ ...outboxStateOf(search), page })}`;
  const previous = search.page > 1 ? Math.min(search.page - 1, pageCount) : null;
  const next = search.page < pageCount ? search.page + 1 : null;
  const off = (label: string, icon: "prev" | "next") => (
    <span className={cn(linkClass, "pointer-events-none text-slate-400")} aria-disabled="true">
      {icon === "prev" ? <ChevronLeft className="h-4 w-4" aria-hidden /> : null}
      {label}
      {icon === "next" ? <ChevronRight className="h-4 w-4" aria-hidden /> : null}
    </span>
  );
  return (
    <nav aria-label={t("label")} className="flex items-center justify-between gap-3">
      {previous ? (
        <Link href={href(previous)} className={linkClass} rel="prev">
          <ChevronLeft className="h-4 w-4" aria-hidden />
          {t("previous")}
        </Link>
      ) : (
        off(t("previous"), "prev")
      )}
      <span className="text-sm text-slate-700" aria-current="page">
        {t("page", { page: search.page, pageCount })}
      </span>
      {next ? (
        <Link href={href(next)} className={linkClass} rel="next">
          {t("next")}
          <ChevronRight className="h-4 w-4" aria-hidden />
        </Link>
      ) : (
        off(t("next"), "next")
      )}
    </nav>
  );
}
