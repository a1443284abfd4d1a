"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { BulkActions } from "./bulk-actions";
import type { BulkSelection } from "@/lib/services/queries/subscription-search-schema";

/**
 * What is selected and what can be done with it. Rows picked by id stay selected across pages and sorts; "select all
 * N matching" is a selection of its own (the whole search, taken as an exact set when a bulk job starts). The bulk
 * actions (bulk retry, bulk cancel) start a job from the selection.
 */
export function SelectionToolbar({
  selection,
  selectedCount,
  total,
  onSelectAll,
  onClear,
}: {
  selection: BulkSelection | null;
  selectedCount: number;
  total: number;
  onSelectAll: () => void;
  onClear: () => void;
}) {
  const t = useTranslations("subscriptions.selection");
  if (!selection) return null;
  return (
    <section aria-label={t("label")} className="flex flex-wrap items-center gap-3 rounded-lg border border-sky-200 bg-sky-50 px-4 py-2 text-sm" data-testid="selection-toolbar">
      <p role="status" className="font-medium" data-testid="selection-count">
        {selection.type === "search" ? t("selectedAll", { count: total }) : t("selected", { count: selectedCount })}
      </p>
      {selection.type === "ids" && total > selectedCount ? (
        <Button variant="secondary" size="sm" onClick={onSelectAll}>
          {t("selectAll", { count: total })}
        </Button>
      ) : null}
      <Button variant="ghost" size="sm" onClick={onClear}>
        {t("clear")}
      </Button>
      <div className="flex flex-wrap gap-2">
        <BulkActions selection={selection} onDone={onClear} />
      </div>
      <p className="w-full text-xs text-slate-600">{t("kept")}</p>
    </section>
  );
}
