"use client";

import type { ReactTable, RowData, TableFeatures } from "@tanstack/react-table";
import { TH, THead } from "@/components/ui/table";

/** A console table's column headers, as the table's column definitions render them. */
export function DataTableHead<TFeatures extends TableFeatures, TData extends RowData, TSelected>({ table }: { table: ReactTable<TFeatures, TData, TSelected> }) {
  return (
    <THead>
      {table.getHeaderGroups().map((group) => (
        <tr key={group.id}>
          {group.headers.map((header) => (
            <TH key={header.id} scope="col">
              {header.isPlaceholder ? null : <table.FlexRender header={header} />}
            </TH>
          ))}
        </tr>
      ))}
    </THead>
  );
}
