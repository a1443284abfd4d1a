"use client";

import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import { DataTableHead } from "@/components/console/data-table-head";
import { StatusBadge } from "@/components/console/status-badge";
import { TestClockBadge } from "@/components/console/test-clock-badge";
import { Table, TBody, TD, TR } from "@/components/ui/table";
import { SUBSCRIPTION_STATUSES } from "@/lib/billing/subscription-state";
import type { CustomerListRow } from "@/lib/services/queries/customers";
import { DATE } from "../formats";

// Paging, sorting and searching happen on the server (the URL's state): the table only lays the page out.
const features = tableFeatures({});
const column = createColumnHelper<typeof features, CustomerListRow>();

/** One page of customers; each row links to the customer's page. Rows are keyed by customer id. */
export function CustomersTable({ rows }: { rows: CustomerListRow[] }) {
  const t = useTranslations("customers.table");
  const format = useFormatter();
  const columns = column.columns([
    column.accessor("name", {
      header: () => t("name"),
      cell: ({ row }) => (
        <span className="flex flex-wrap items-center gap-2">
          <Link href={`/console/customers/${row.original.id}`} className="font-medium text-sky-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600">
            {row.original.name}
          </Link>
          {row.original.testClockId ? <TestClockBadge clock={{ id: row.original.testClockId, name: row.original.testClockName }} /> : null}
        </span>
      ),
    }),
    column.accessor("email", { header: () => t("email"), cell: ({ getValue }) => <span className="break-all">{getValue()}</span> }),
    column.accessor("phone", { header: () => t("phone"), cell: ({ getValue }) => getValue() ?? "—" }),
    column.accessor("contracts", {
      header: () => t("contracts"),
      cell: ({ getValue }) => {
        const counts = getValue();
        const present = SUBSCRIPTION_STATUSES.filter((s) => counts[s]);
        if (present.length === 0) return <span className="text-slate-600">{t("noContracts")}</span>;
        return (
          <ul className="flex flex-wrap gap-1">
            {present.map((status) => (
              <li key={status} className="flex items-center gap-0.5">
                <StatusBadge status={status} />
                {counts[status]! > 1 ? <span className="text-xs text-slate-700">×{counts[status]}</span> : null}
              </li>
            ))}
          </ul>
        );
      },
    }),
    column.accessor("createdAt", { header: () => t("created"), cell: ({ getValue }) => <span className="whitespace-nowrap">{format.dateTime(getValue(), DATE)}</span> }),
  ]);
  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.id });

  return (
    <Table>
      <caption className="sr-only">{t("caption")}</caption>
      <DataTableHead table={table} />
      <TBody>
        {table.getRowModel().rows.map((row) => (
          <TR key={row.id} data-testid="customer-row">
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
