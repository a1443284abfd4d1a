"use client";

import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import { Paperclip } from "lucide-react";
import { DataTableHead } from "@/components/console/data-table-head";
import { MailStatusBadge } from "@/components/console/mail-status-badge";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TR } from "@/components/ui/table";
import { DATE_TIME_FORMAT } from "@/lib/i18n/formats";
import type { OutboxRow } from "@/lib/services/queries/outbox";

// Paging and filtering happen on the server (the URL's state): the table only lays the page out.
const features = tableFeatures({});
const column = createColumnHelper<typeof features, OutboxRow>();

/** One page of the outbox; each row links to the mail. Rows are keyed by mail id. */
export function OutboxTable({ rows }: { rows: OutboxRow[] }) {
  const t = useTranslations("outbox");
  const tBilling = useTranslations("billing");
  const format = useFormatter();
  const columns = column.columns([
    column.accessor("queuedAt", {
      header: () => t("table.queuedAt"),
      cell: ({ row }) => (
        <time dateTime={row.original.queuedAt.toISOString()} className="whitespace-nowrap tabular-nums">
          {format.dateTime(row.original.sentAt ?? row.original.queuedAt, DATE_TIME_FORMAT)}
        </time>
      ),
    }),
    column.accessor("template", {
      header: () => t("table.template"),
      cell: ({ getValue }) => <span className="whitespace-nowrap">{tBilling(`mailTemplate.${getValue()}`)}</span>,
    }),
    column.accessor("subject", {
      header: () => t("table.subject"),
      cell: ({ row }) => (
        <span className="flex flex-wrap items-center gap-1.5">
          <Link href={`/console/mails/${row.original.id}`} className="font-medium text-sky-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600">
            {row.original.subject ?? t("table.notRendered")}
          </Link>
          {row.original.testClockId ? <Badge tone="test">{t("table.testData")}</Badge> : null}
          {row.original.testSend ? <Badge tone="info">{t("table.testSend")}</Badge> : null}
          {row.original.resendOf ? <Badge tone="neutral">{t("table.resend")}</Badge> : null}
          {row.original.attachments.length > 0 ? (
            <Badge tone="neutral" className="gap-1" data-testid="outbox-attachments">
              <Paperclip className="h-3 w-3" aria-hidden />
              {t("table.attachments", { names: row.original.attachments.map((a) => a.filename).join("、") })}
            </Badge>
          ) : null}
        </span>
      ),
    }),
    column.accessor("toAddress", { header: () => t("table.to"), cell: ({ getValue }) => <span className="break-all">{getValue()}</span> }),
    column.accessor("status", {
      header: () => t("table.status"),
      cell: ({ row }) => (
        <span className="flex flex-wrap gap-1">
          <MailStatusBadge status={row.original.status} />
          {row.original.deliveryStatus ? <Badge tone={row.original.deliveryStatus === "delivered" ? "success" : "warning"}>{t(`deliveryStatus.${row.original.deliveryStatus}`)}</Badge> : null}
        </span>
      ),
    }),
  ]);
  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.id });

  return (
    <Table>
      <caption className="sr-only">{t("table.caption")}</caption>
      <DataTableHead table={table} />
      <TBody>
        {table.getRowModel().rows.map((row) => (
          <TR key={row.id} data-testid="outbox-row">
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
