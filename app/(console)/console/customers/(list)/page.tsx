import type { Metadata } from "next";
import Link from "next/link";
import type { SearchParams } from "nuqs/server";
import { getTranslations } from "next-intl/server";
import { requireStaff } from "@/lib/console/staff-context";
import { searchCustomers } from "@/lib/services/queries/customers";
import { CustomerSearchBox } from "../_components/customer-search-box";
import { CustomersPagination } from "../_components/customers-pagination";
import { CustomersTable } from "../_components/customers-table";
import { customerSearchHref, loadCustomerSearch, toCustomerSearch } from "../search-params";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("customers"))("title") };
}

/** 顧客: the merchant's customers, searched and paged on the server from the URL's state. */
export default async function CustomersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { ctx } = await requireStaff();
  const search = toCustomerSearch(await loadCustomerSearch(searchParams));
  const [t, list] = await Promise.all([getTranslations("customers"), searchCustomers(ctx, search)]);
  const from = (list.page - 1) * list.perPage + 1;
  const to = Math.min(list.total, list.page * list.perPage);
  return (
    <div className="flex max-w-6xl flex-col gap-5">
      <header>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="mt-1 text-sm text-slate-600">{t("lead")}</p>
      </header>
      <CustomerSearchBox />
      <p className="text-sm text-slate-700" data-testid="customers-summary">
        {list.total === 0 ? t("summaryNone") : from <= list.total ? t("summary", { total: list.total, from, to }) : t("empty.pastEnd")}
      </p>
      {list.rows.length > 0 ? (
        <>
          <CustomersTable rows={list.rows} />
          <CustomersPagination search={search} pageCount={list.pageCount} />
        </>
      ) : (
        <EmptyState q={search.q} pastEnd={list.total > 0} lastPageHref={`/console/customers${customerSearchHref({ ...search, q: search.q || null, page: list.pageCount })}`} />
      )}
    </div>
  );
}

async function EmptyState({ q, pastEnd, lastPageHref }: { q: string; pastEnd: boolean; lastPageHref: string }) {
  const t = await getTranslations("customers.empty");
  const link = "text-sm font-medium text-sky-800 underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-sky-600";
  return (
    <div className="flex flex-col items-start gap-2 rounded-lg border border-dashed border-slate-300 bg-white p-6" data-testid="customers-empty">
      {pastEnd ? (
        <Link href={lastPageHref} className={link}>
          {t("toLastPage")}
        </Link>
      ) : q ? (
        <>
          <p className="text-sm text-slate-700">{t("noMatch", { q })}</p>
          <Link href="/console/customers" className={link}>
            {(await getTranslations("customers.search"))("clear")}
          </Link>
        </>
      ) : (
        <p className="text-sm text-slate-700">{t("none")}</p>
      )}
    </div>
  );
}
