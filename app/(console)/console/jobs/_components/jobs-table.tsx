"use client";

import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { DataTableHead } from "@/components/console/data-table-head";
import { Table, TBody, TD, TR } from "@/components/ui/table";
import type { BulkJobKind, BulkJobStatus } from "@/db/schema";
import { JobProgress } from "./job-progress";
import { JobStatusBadge } from "./job-status-badge";

export type JobRow = {
  id: string;
  kind: BulkJobKind;
  description: string;
  status: BulkJobStatus;
  total: number;
  done: number;
  skipped: number;
  failed: number;
  createdBy: string;
  createdAt: string;
};

const features = tableFeatures({});
const helper = createColumnHelper<typeof features, JobRow>();

/** The jobs list (paged on the server: the table only lays the rows out). */
export function JobsTable({ rows }: { rows: JobRow[] }) {
  const t = useTranslations("jobs");
  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("kind", {
          header: () => t("column.job"),
          cell: ({ row }) => (
            <div className="flex flex-col">
              <Link href={`/console/jobs/${row.original.id}`} className="font-medium text-sky-800 underline underline-offset-2">
                {t(`kind.${row.original.kind}`)}
              </Link>
              <span className="text-xs text-slate-600">{row.original.description}</span>
            </div>
          ),
        }),
        helper.accessor("status", { header: () => t("column.status"), cell: ({ row }) => <JobStatusBadge status={row.original.status} /> }),
        helper.display({ id: "progress", header: () => t("column.progress"), cell: ({ row }) => <JobProgress job={row.original} /> }),
        helper.display({ id: "counts", header: () => t("column.counts"), cell: ({ row }) => <span className="text-xs whitespace-nowrap">{t("counts", row.original)}</span> }),
        helper.accessor("createdBy", { header: () => t("column.createdBy") }),
        helper.accessor("createdAt", { header: () => t("column.createdAt"), cell: ({ row }) => <span className="whitespace-nowrap">{row.original.createdAt}</span> }),
      ]),
    [t],
  );
  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.id });
  return (
    <Table aria-label={t("listLabel")}>
      <DataTableHead table={table} />
      <TBody>
        {table.getRowModel().rows.map((row) => (
          <TR key={row.id} data-testid={`job-row-${row.id}`}>
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
