"use client";

import { columnVisibilityFeature, createColumnHelper, rowSelectionFeature, rowSortingFeature, type SortingState, tableFeatures, useTable } from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useMemo } from "react";
import { StatusBadge } from "@/components/console/status-badge";
import { TestClockBadge } from "@/components/console/test-clock-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatMoney } from "@/lib/billing/money";
import { cn } from "@/lib/cn";
import type { SubscriptionColumn } from "@/lib/console/subscription-columns";
import type { SubscriptionSearchResult, SubscriptionSearchRow } from "@/lib/services/queries/subscription-search";
import { type BulkSelection, subscriptionFilters, type SubscriptionSortColumn } from "@/lib/services/queries/subscription-search-schema";
import { filtersKey, fromSearch, type SearchState } from "../search-params";
import { currentSelection, setSelection, useSelection } from "./selection-store";
import { SelectionToolbar } from "./selection-toolbar";
import type { SetSearchState } from "./use-search-state";

const features = tableFeatures({ rowSortingFeature, rowSelectionFeature, columnVisibilityFeature });
const helper = createColumnHelper<typeof features, SubscriptionSearchRow>();

/** The sort column behind each sortable table column, and which way it sorts first. */
const SORTS: Partial<Record<SubscriptionColumn, { sort: SubscriptionSortColumn; descFirst: boolean }>> = {
  customer: { sort: "customer_name", descFirst: false },
  amount: { sort: "amount", descFirst: true },
  status: { sort: "status", descFirst: false },
  paidThrough: { sort: "paid_through", descFirst: false },
  daysUnpaid: { sort: "days_unpaid", descFirst: true },
  nextAction: { sort: "next_action_at", descFirst: false },
  createdAt: { sort: "created_at", descFirst: true },
};
const COLUMN_OF_SORT = Object.fromEntries(Object.entries(SORTS).map(([column, s]) => [s!.sort, column])) as Record<SubscriptionSortColumn, SubscriptionColumn>;

/** The selection: contracts picked by id (kept across pages), or every contract the search matches. */
export function SubscriptionsTable({
  result,
  state,
  setState,
  columns,
  pending,
  selectionKey,
  onReset,
}: {
  result: SubscriptionSearchResult;
  state: SearchState;
  setState: SetSearchState;
  columns: SubscriptionColumn[];
  pending: boolean;
  /** The search's filters: when they change, the selection no longer means anything and is cleared. */
  selectionKey: string;
  onReset: () => void;
}) {
  const t = useTranslations("subscriptions");
  const common = useTranslations("common");
  const format = useFormatter();
  const selection = useSelection(selectionKey);
  const clear = () => setSelection({ key: selectionKey, ids: {}, all: false });

  const sorting: SortingState = [{ id: COLUMN_OF_SORT[state.sort], desc: state.order === "desc" }];
  const date = (at: Date) => format.dateTime(at, { year: "numeric", month: "2-digit", day: "2-digit" });
  const dateTime = (at: Date) => format.dateTime(at, { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });

  const columnDefs = useMemo(
    () => [
      helper.display({
        id: "select",
        header: ({ table }) => (
          <Checkbox
            aria-label={t("table.selectPage")}
            checked={selection.all || table.getIsAllPageRowsSelected() ? true : table.getIsSomePageRowsSelected() ? "indeterminate" : false}
            disabled={selection.all}
            onCheckedChange={(checked) => table.toggleAllPageRowsSelected(checked === true)}
          />
        ),
        cell: ({ row }) => (
          <Checkbox
            aria-label={t("table.selectRow", { name: row.original.customerName })}
            checked={selection.all || row.getIsSelected()}
            disabled={selection.all}
            onCheckedChange={(checked) => row.toggleSelected(checked === true)}
          />
        ),
      }),
      helper.display({
        id: "customer",
        header: t("columns.customer"),
        cell: ({ row }) => (
          <div className="flex min-w-40 flex-col">
            <Link href={`/console/subscriptions/${row.original.id}`} className="font-medium text-sky-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600" aria-label={t("table.open", { name: row.original.customerName })}>
              {row.original.customerName}
            </Link>
            <span className="text-xs text-slate-600">{row.original.customerEmail}</span>
            {row.original.testClock ? <TestClockBadge clock={row.original.testClock} className="mt-1 self-start" /> : null}
          </div>
        ),
      }),
      helper.display({
        id: "plan",
        header: t("columns.plan"),
        cell: ({ row }) => (
          <div className="flex flex-col">
            <span>{row.original.productName}</span>
            {row.original.planName ? <span className="text-xs text-slate-600">{row.original.planName}</span> : null}
          </div>
        ),
      }),
      helper.display({ id: "amount", header: t("columns.amount"), cell: ({ row }) => <span className="tabular-nums">{formatMoney({ amount: row.original.amount, currency: row.original.currency })}</span> }),
      helper.display({ id: "status", header: t("columns.status"), cell: ({ row }) => <StatusBadge status={row.original.status} /> }),
      helper.display({ id: "paidThrough", header: t("columns.paidThrough"), cell: ({ row }) => (row.original.paidThrough ? date(row.original.paidThrough) : t("table.none")) }),
      helper.display({
        id: "daysUnpaid",
        header: t("columns.daysUnpaid"),
        cell: ({ row }) => (row.original.daysUnpaid === null ? t("table.none") : <span className="font-medium text-red-800 tabular-nums">{t("table.days", { days: row.original.daysUnpaid })}</span>),
      }),
      helper.display({
        id: "nextAction",
        header: t("columns.nextAction"),
        cell: ({ row }) =>
          row.original.nextActionKind && row.original.nextActionAt ? (
            <div className="flex flex-col">
              <span>{common(`actionKind.${row.original.nextActionKind}`)}</span>
              <span className="text-xs text-slate-600">{dateTime(row.original.nextActionAt)}</span>
            </div>
          ) : (
            t("table.none")
          ),
      }),
      helper.display({
        id: "card",
        header: t("columns.card"),
        cell: ({ row }) => {
          const card = row.original.card;
          if (!card) return t("table.none");
          return (
            <div className="flex flex-col whitespace-nowrap">
              <span>{t("table.card", { brand: card.brand, last4: card.last4 })}</span>
              <span className="text-xs text-slate-600">{t("table.cardExpiry", { year: card.expYear, month: String(card.expMonth).padStart(2, "0") })}</span>
            </div>
          );
        },
      }),
      helper.display({ id: "createdAt", header: t("columns.createdAt"), cell: ({ row }) => date(row.original.createdAt) }),
      helper.display({ id: "testClock", header: t("columns.testClock"), cell: ({ row }) => (row.original.testClock ? <Badge tone="test">{row.original.testClock.name ?? t("table.testClock")}</Badge> : t("table.none")) }),
      helper.display({ id: "id", header: t("columns.id"), cell: ({ row }) => <code className="text-xs">{row.original.id}</code> }),
    ],
    // Cells read the selection mode and formatters; the table is rebuilt when they change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, common, format, selection.all],
  );

  const table = useTable({
    features,
    columns: columnDefs,
    data: result.rows,
    getRowId: (row) => row.id,
    manualSorting: true,
    enableSortingRemoval: false,
    state: {
      sorting,
      rowSelection: selection.ids,
      columnVisibility: Object.fromEntries(Object.keys(SORTS_AND_ALL).map((c) => [c, c === "select" || columns.includes(c as SubscriptionColumn)])),
    },
    onRowSelectionChange: (updater) => setSelection({ key: selectionKey, all: false, ids: typeof updater === "function" ? updater(currentSelection(selectionKey).ids) : updater }),
    onSortingChange: (updater) => {
      const [next] = typeof updater === "function" ? updater(sorting) : updater;
      const sort = next ? SORTS[next.id as SubscriptionColumn] : undefined;
      if (sort) void setState({ sort: sort.sort, order: next!.desc ? "desc" : "asc", page: 1 });
    },
  });

  const selectedIds = Object.keys(selection.ids).filter((id) => selection.ids[id]);
  const bulkSelection: BulkSelection | null = selection.all
    ? { type: "search", filters: subscriptionFilters.parse(result.search), count: result.total }
    : selectedIds.length > 0
      ? { type: "ids", ids: selectedIds }
      : null;

  if (result.total === 0) {
    const anything = Object.values(result.statusCounts).some((n) => n > 0) || selectionKey !== EMPTY_FILTERS;
    return (
      <div className="flex flex-col items-start gap-3 rounded-lg border border-dashed border-slate-300 bg-white p-8" data-testid="empty-state">
        <h2 className="text-base font-semibold">{t("empty.title")}</h2>
        <p className="text-sm text-slate-700">{anything ? t("empty.body") : t("empty.noContracts")}</p>
        {anything ? (
          <Button variant="secondary" onClick={onReset}>
            {t("filters.reset")}
          </Button>
        ) : null}
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-2">
      <SelectionToolbar
        selection={bulkSelection}
        selectedCount={selection.all ? result.total : selectedIds.length}
        total={result.total}
        onSelectAll={() => setSelection({ key: selectionKey, ids: {}, all: true })}
        onClear={clear}
      />
      {result.rows.length === 0 ? (
        <div className="flex flex-col items-start gap-3 rounded-lg border border-dashed border-slate-300 bg-white p-8">
          <p className="text-sm">{t("empty.pastEnd", { total: result.total })}</p>
          <Button variant="secondary" onClick={() => void setState({ page: 1 })}>
            {t("empty.firstPage")}
          </Button>
        </div>
      ) : (
        <div aria-busy={pending} className={cn("transition-opacity", pending && "opacity-60")}>
          <Table data-testid="subscriptions-table">
            <caption className="sr-only">{t("table.caption", { sort: t(`columns.${COLUMN_OF_SORT[state.sort]}`), order: state.order === "desc" ? t("table.descending") : t("table.ascending") })}</caption>
            <THead>
              {table.getHeaderGroups().map((group) => (
                <tr key={group.id}>
                  {group.headers.map((header) => {
                    const sort = SORTS[header.column.id as SubscriptionColumn];
                    const sorted = header.column.getIsSorted();
                    return (
                      <TH key={header.id} aria-sort={sort ? (sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none") : undefined} className={header.column.id === "select" ? "w-10" : undefined}>
                        {sort ? (
                          <button
                            type="button"
                            className="inline-flex items-center gap-1 rounded hover:text-sky-800 focus-visible:outline-2 focus-visible:outline-sky-600"
                            onClick={() => header.column.toggleSorting(sorted ? sorted === "asc" : sort.descFirst)}
                          >
                            <table.FlexRender header={header} />
                            {sorted === "asc" ? <ArrowUp className="h-3 w-3" aria-hidden /> : sorted === "desc" ? <ArrowDown className="h-3 w-3" aria-hidden /> : <ArrowUpDown className="h-3 w-3 text-slate-400" aria-hidden />}
                          </button>
                        ) : (
                          <table.FlexRender header={header} />
                        )}
                      </TH>
                    );
                  })}
                </tr>
              ))}
            </THead>
            <TBody>
              {table.getRowModel().rows.map((row) => (
                <TR key={row.id} data-selected={selection.all || row.getIsSelected()} data-testid="subscription-row" data-id={row.id}>
                  {row.getVisibleCells().map((cell) => (
                    <TD key={cell.id}>
                      <table.FlexRender cell={cell} />
                    </TD>
                  ))}
                </TR>
              ))}
            </TBody>
          </Table>
        </div>
      )}
    </div>
  );
}

const SORTS_AND_ALL: Record<SubscriptionColumn | "select", true> = {
  select: true,
  customer: true,
  plan: true,
  amount: true,
  status: true,
  paidThrough: true,
  daysUnpaid: true,
  nextAction: true,
  card: true,
  createdAt: true,
  testClock: true,
  id: true,
};

/** filtersKey of a search with no filter at all. */
const EMPTY_FILTERS = filtersKey({ ...fromSearch({}), cols: null } as SearchState);
