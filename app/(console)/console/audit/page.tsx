import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireStaff } from "@/lib/console/staff-context";
import { staffMay } from "@/lib/services/authorize";
import { ServiceError } from "@/lib/services/errors";
import { listApiKeys } from "@/lib/services/queries/api-keys";
import { searchAuditLog } from "@/lib/services/queries/audit-log";
import { listStaff } from "@/lib/services/queries/team";
import { AuditFilters } from "./_components/audit-filters";
import { AuditPagination } from "./_components/audit-pagination";
import { AuditTable } from "./_components/audit-table";
import { ExportLinks } from "./_components/export-links";
import { loadAuditSearch, toAuditFilters } from "./search-params";
import type { SearchParams } from "nuqs/server";
import { actionOptions } from "./action-labels";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("audit"))("title") };
}

/** 操作履歴: who did what and when, filtered by person, action, target and dates, page by page, with a CSV export. */
export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { ctx, staff } = await requireStaff();
  const t = await getTranslations("audit");
  const header = (
    <header>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="mt-1 text-sm text-slate-600">{t("lead")}</p>
    </header>
  );
  if (!staffMay(staff.role, "audit.read")) {
    return (
      <div className="flex max-w-6xl flex-col gap-6">
        {header}
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-700">{t("readOnly")}</p>
      </div>
    );
  }

  const state = await loadAuditSearch(searchParams);
  const filters = toAuditFilters(state);
  const [members, keys, result] = await Promise.all([
    listStaff(ctx),
    listApiKeys(ctx),
    searchAuditLog(ctx, { ...filters, page: state.page }).catch((error: unknown) => {
      if (error instanceof ServiceError && error.code === "invalid") return null;
      throw error;
    }),
  ]);
  const filtered = Object.values(filters).some(Boolean);

  return (
    <div className="flex max-w-6xl flex-col gap-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        {header}
        <ExportLinks />
      </div>
      <AuditFilters
        members={members.map((m) => ({ id: m.id, name: m.name }))}
        apiKeys={keys.map((k) => ({ id: k.id, name: k.name ?? k.displayPrefix }))}
        actions={await actionOptions()}
      />
      {result === null ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {t("filters.invalid")}
        </p>
      ) : result.rows.length === 0 && result.page === 1 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-700">{filtered ? t("list.empty") : t("list.emptyAll")}</p>
      ) : (
        <>
          <AuditTable rows={result.rows} />
          <AuditPagination page={result.page} hasMore={result.hasMore} />
        </>
      )}
    </div>
  );
}
