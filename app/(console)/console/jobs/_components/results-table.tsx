"use client";

import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { DataTableHead } from "@/components/console/data-table-head";
import { StatusBadge } from "@/components/console/status-badge";
import { Table, TBody, TD, TR } from "@/components/ui/table";
import type { BulkJobItemStatus } from "@/db/schema";
import type { SubscriptionStatus } from "@/lib/billing/subscription-state";
import { ItemResultBadge } from "./job-status-badge";

/** A row of a job's results, as the page shows it (the reason already in words). */
export type ResultRow = {
  subscriptionId: string;
  position: number;
  customerName: string;
  contractStatus: SubscriptionStatus;
  status: BulkJobItemStatus;
  reason: string;
  completedAt: string;
};

const features = tableFeatures({});
const helper = createColumnHelper<typeof features, ResultRow>();

/** A page of a job's rows (filtered and paged on the server). */
export function ResultsTable({ rows }: { rows: ResultRow[] }) {
  const t = useTranslations("jobs.item");
  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("position", { header: () => t("position"), cell: ({ row }) => <span className="tabular-nums">{row.original.position}</span> }),
        helper.accessor("subscriptionId", {
          header: () => t("contract"),
          cell: ({ row }) => (
            <Link href={`/console/subscriptions/${row.original.subscriptionId}`} className="font-mono text-xs text-sky-800 underline underline-offset-2">
              {row.original.subscriptionId}
            </Link>
          ),
        }),
        helper.accessor("customerName", { header: () => t("customer") }),
        helper.accessor("contractStatus", { header: () => t("contractStatus"), cell: ({ row }) => <StatusBadge status={row.original.contractStatus} /> }),
        helper.accessor("status", { header: () => t("result"), cell: ({ row }) => <ItemResultBadge status={row.original.status} /> }),
        helper.accessor("reason", { header: () => t("reason"), cell: ({ row }) => <span className="text-slate-700">{row.original.reason}</span> }),
        helper.accessor("completedAt", { header: () => t("completedAt"), cell: ({ row }) => <span className="whitespace-nowrap">{row.original.completedAt}</span> }),
      ]),
    [t],
  );
  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.subscriptionId });
  return (
    <Table data-testid="job-results">
      <DataTableHead table={table} />
      <TBody>
        {table.getRowModel().rows.map((row) => (
          <TR key={row.id} data-result={row.original.status}>
            {row.getAllCells().map((cell) => (
              <TD key={cell.id}>
                <table.FlexRender cell={cell} />
              </TD>
            ))}
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
