"use client";

import { Download } from "lucide-react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { DisabledReason } from "@/components/ui/tooltip";
import { type SearchState, serializeSearchState } from "../search-params";

/** CSV of every contract the search matches, with the visible columns: UTF-8 with a BOM, or Shift_JIS for older Excel. */
export function ExportMenu({ state, total, canExport }: { state: SearchState; total: number; canExport: boolean }) {
  const t = useTranslations("subscriptions.export");
  const href = (encoding: "utf8" | "shift_jis") => {
    const params = new URLSearchParams(serializeSearchState({ ...state, page: null }));
    params.set("encoding", encoding);
    return `/console/subscriptions/export?${params.toString()}`;
  };
  const trigger = (
    <Button variant="secondary" disabled={!canExport}>
      <Download className="h-4 w-4" aria-hidden />
      {t("menu")}
    </Button>
  );
  if (!canExport) return <DisabledReason reason={t("viewerReason")}>{trigger}</DisabledReason>;
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>{trigger}</DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="max-w-72">
        <DropdownMenuLabel className="px-2 py-1 text-xs text-slate-600">{t("hint", { count: total })}</DropdownMenuLabel>
        <DropdownMenuItem asChild>
          <a href={href("utf8")} download data-testid="export-utf8">
            {t("utf8")}
          </a>
        </DropdownMenuItem>
        <DropdownMenuItem asChild>
          <a href={href("shift_jis")} download data-testid="export-shift-jis">
            {t("shiftJis")}
          </a>
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
