"use client";

import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useMemo } from "react";
import { DataTableHead } from "@/components/console/data-table-head";
import { DateText } from "@/components/console/date-text";
import { Table, TBody, TD, TR } from "@/components/ui/table";
import { DATE_TIME_FORMAT } from "@/lib/i18n/formats";
import type { GatewayEventRow } from "@/lib/services/queries/gateway-events";
import { STRIPE_EVENTS_PATH } from "../search-params";
import { GatewayEventOutcome, GatewayEventStatusBadge } from "./event-status";

export type EventListRow = Pick<GatewayEventRow, "id" | "eventId" | "type" | "objectId" | "receivedAt" | "status" | "outcome" | "attempts" | "lastError" | "nextAttemptAt">;

const features = tableFeatures({});
const helper = createColumnHelper<typeof features, EventListRow>();

/** The received events (filtered and paged on the server: the table only lays the rows out). */
export function EventsTable({ rows }: { rows: EventListRow[] }) {
  const t = useTranslations("gatewayEvents");
  const format = useFormatter();
  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("receivedAt", { header: () => t("column.receivedAt"), cell: ({ row }) => <span className="whitespace-nowrap"><DateText value={row.original.receivedAt} withTime /></span> }),
        helper.accessor("type", {
          header: () => t("column.type"),
          cell: ({ row }) => (
            <div className="flex flex-col">
              <Link href={`${STRIPE_EVENTS_PATH}/${row.original.id}`} aria-label={t("open", { type: row.original.type })} className="font-mono text-sm font-medium whitespace-nowrap text-sky-800 underline underline-offset-2">
                {row.original.type}
              </Link>
              <code className="text-xs text-slate-600">{row.original.eventId}</code>
            </div>
          ),
        }),
        helper.accessor("objectId", { header: () => t("column.objectId"), cell: ({ row }) => <code className="text-xs break-all">{row.original.objectId ?? t("noObject")}</code> }),
        helper.accessor("status", {
          header: () => t("column.status"),
          cell: ({ row }) => (
            <div className="flex flex-col items-start gap-1">
              <GatewayEventStatusBadge status={row.original.status} />
              {row.original.status === "pending" && row.original.nextAttemptAt ? (
                <span className="text-xs whitespace-nowrap text-slate-600">
                  {t("retryAt", { at: format.dateTime(row.original.nextAttemptAt, DATE_TIME_FORMAT) })}
                </span>
              ) : null}
            </div>
          ),
        }),
        helper.accessor("outcome", { header: () => t("column.outcome"), cell: ({ row }) => <GatewayEventOutcome outcome={row.original.outcome} /> }),
        helper.accessor("attempts", { header: () => t("column.attempts"), cell: ({ row }) => <span className="tabular-nums">{row.original.attempts}</span> }),
        helper.accessor("lastError", {
          header: () => t("column.lastError"),
          cell: ({ row }) => (row.original.lastError ? <p className="line-clamp-2 max-w-xs text-xs break-words text-red-800">{row.original.lastError}</p> : null),
        }),
      ]),
    [t, format],
  );
  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.id });
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <Table aria-label={t("listLabel")}>
        <DataTableHead table={table} />
        <TBody>
          {table.getRowModel().rows.map((row) => (
            <TR key={row.id} data-testid={`gateway-event-${row.original.eventId}`}>
              {row.getAllCells().map((cell) => (
                <TD key={cell.id} className="align-top">
                  <table.FlexRender cell={cell} />
                </TD>
              ))}
            </TR>
          ))}
        </TBody>
      </Table>
    </div>
  );
}
