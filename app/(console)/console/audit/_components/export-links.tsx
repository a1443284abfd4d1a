"use client";

import { Download } from "lucide-react";
import { useQueryStates } from "nuqs";
import { useTranslations } from "next-intl";
import { auditParsers, serializeAuditSearch } from "../search-params";

/** The CSV of every row the current filters match (not only this page): UTF-8 with a BOM, or Shift_JIS for older Excel. */
export function ExportLinks() {
  const t = useTranslations("audit.export");
  const [state] = useQueryStates(auditParsers);
  const href = (encoding: "utf8" | "shift_jis") => {
    const params = new URLSearchParams(serializeAuditSearch({ ...state, page: null }).replace(/^\?/, ""));
    params.set("encoding", encoding);
    return `/console/audit/export?${params.toString()}`;
  };
  const linkClass = "inline-flex items-center gap-1 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-sky-600";
  return (
    <div className="flex flex-wrap gap-2" role="group" aria-label={t("button")}>
      <a href={href("utf8")} download className={linkClass} data-testid="audit-export-utf8">
        <Download className="h-4 w-4" aria-hidden />
        {t("utf8")}
      </a>
      <a href={href("shift_jis")} download className={linkClass} data-testid="audit-export-shift-jis">
        <Download className="h-4 w-4" aria-hidden />
        {t("shiftJis")}
      </a>
    </div>
  );
}
