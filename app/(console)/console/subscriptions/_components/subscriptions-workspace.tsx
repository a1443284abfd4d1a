"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { DEFAULT_COLUMNS } from "@/lib/console/subscription-columns";
import type { SavedSearch } from "@/lib/services/queries/saved-searches";
import type { SubscriptionSearchOptions, SubscriptionSearchResult } from "@/lib/services/queries/subscription-search";
import type { SavedSearchPreset } from "@/lib/services/saved-search-presets";
import { filtersKey, fromSearch } from "../search-params";
import { ColumnPicker } from "./column-picker";
import { ExportMenu } from "./export-menu";
import { FiltersPanel } from "./filters-panel";
import { Pagination } from "./pagination";
import { SavedSearchesMenu } from "./saved-searches-menu";
import { SearchBox } from "./search-box";
import { StatusTabs } from "./status-tabs";
import { SubscriptionsTable } from "./subscriptions-table";
import { useSearchState } from "./use-search-state";

export type WorkspaceProps = {
  result: SubscriptionSearchResult | null;
  /** The URL's search could not be read: these fields are wrong (result is null). */
  invalidFields: string[];
  options: SubscriptionSearchOptions;
  savedSearches: SavedSearch[];
  presets: readonly SavedSearchPreset[];
  can: { manageSavedSearches: boolean; export: boolean };
};

/** The contracts workspace: the search in the URL, its results, and what can be done with them. */
export function SubscriptionsWorkspace({ result, invalidFields, options, savedSearches, presets, can }: WorkspaceProps) {
  const t = useTranslations("subscriptions");
  const { state, setState, isPending } = useSearchState();
  const columns = state.cols ?? [...DEFAULT_COLUMNS];
  const reset = () => void setState({ ...fromSearch({}), cols: state.cols });

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-start gap-2">
        <SearchBox value={state.q ?? ""} onSearch={(q) => void setState({ q: q || null, page: 1 })} />
        <div className="ml-auto flex flex-wrap gap-2">
          <SavedSearchesMenu state={state} setState={setState} savedSearches={savedSearches} presets={presets} canManage={can.manageSavedSearches} />
          <ColumnPicker columns={columns} onChange={(cols) => void setState({ cols })} />
          <ExportMenu state={state} total={result?.total ?? 0} canExport={can.export} />
        </div>
      </div>
      <StatusTabs selected={state.status} counts={result?.statusCounts ?? null} onSelect={(status) => void setState({ status, page: 1 })} />
      <FiltersPanel key={filtersKey(state)} state={state} setState={setState} options={options} />
      {result === null ? (
        <div role="alert" className="flex flex-col items-start gap-3 rounded-lg border border-amber-300 bg-amber-50 p-5">
          <h2 className="font-semibold">{t("invalid.title")}</h2>
          <p className="text-sm">{t("invalid.body", { fields: invalidFields.join(", ") })}</p>
          <Button variant="secondary" onClick={reset}>
            {t("invalid.reset")}
          </Button>
        </div>
      ) : (
        <>
          <SubscriptionsTable
            result={result}
            state={state}
            setState={setState}
            columns={columns}
            pending={isPending}
            selectionKey={filtersKey(state)}
            onReset={reset}
          />
          <Pagination total={result.total} page={state.page} perPage={state.perPage} onPage={(page) => void setState({ page })} onPerPage={(perPage) => void setState({ perPage, page: 1 })} />
        </>
      )}
    </div>
  );
}
