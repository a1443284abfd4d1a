"use client";

import { Columns3 } from "lucide-react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuCheckboxItem, DropdownMenuContent, DropdownMenuLabel, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { SUBSCRIPTION_COLUMNS, type SubscriptionColumn } from "@/lib/console/subscription-columns";

/** Which columns the table (and the CSV export) shows; the choice is part of the URL, so a shared link keeps it. */
export function ColumnPicker({ columns, onChange }: { columns: SubscriptionColumn[]; onChange: (columns: SubscriptionColumn[]) => void }) {
  const t = useTranslations("subscriptions");
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="secondary">
          <Columns3 className="h-4 w-4" aria-hidden />
          {t("columnsMenu")}
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuLabel className="px-2 py-1 text-xs text-slate-600">{t("columnsMenu")}</DropdownMenuLabel>
        {SUBSCRIPTION_COLUMNS.map((column) => (
          <DropdownMenuCheckboxItem
            key={column}
            checked={columns.includes(column)}
            // The last visible column stays: a table (and a CSV) needs one.
            disabled={columns.length === 1 && columns.includes(column)}
            onSelect={(event) => event.preventDefault()}
            onCheckedChange={(checked) => onChange(SUBSCRIPTION_COLUMNS.filter((c) => (c === column ? checked : columns.includes(c))))}
          >
            {t(`columns.${column}`)}
          </DropdownMenuCheckboxItem>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
