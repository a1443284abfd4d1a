"use client";

import { ChevronFirst, ChevronLast, ChevronLeft, ChevronRight } from "lucide-react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Label, NativeSelect } from "@/components/ui/input";
import { PAGE_SIZES } from "@/lib/services/queries/subscription-search-schema";

type PageSize = (typeof PAGE_SIZES)[number];

/** Where this page is among all matches, the way to the others, and how many rows a page holds. */
export function Pagination({ total, page, perPage, onPage, onPerPage }: { total: number; page: number; perPage: PageSize; onPage: (page: number) => void; onPerPage: (size: PageSize) => void }) {
  const t = useTranslations("subscriptions.pagination");
  const pages = Math.max(1, Math.ceil(total / perPage));
  const from = total === 0 ? 0 : Math.min(total, (page - 1) * perPage + 1);
  const to = Math.min(total, page * perPage);
  const go = [
    { label: t("first"), icon: ChevronFirst, to: 1, disabled: page <= 1 },
    { label: t("previous"), icon: ChevronLeft, to: Math.min(page - 1, pages), disabled: page <= 1 },
    { label: t("next"), icon: ChevronRight, to: page + 1, disabled: page >= pages },
    { label: t("last"), icon: ChevronLast, to: pages, disabled: page >= pages },
  ];
  return (
    <nav aria-label={t("label")} className="flex flex-wrap items-center justify-between gap-3 text-sm">
      <p aria-live="polite" data-testid="pagination-range">
        {t("range", { total, from, to })}
      </p>
      <div className="flex items-center gap-1">
        {go.slice(0, 2).map((b) => (
          <Button key={b.label} variant="secondary" size="icon" aria-label={b.label} disabled={b.disabled} onClick={() => onPage(b.to)}>
            <b.icon className="h-4 w-4" aria-hidden />
          </Button>
        ))}
        <span className="px-2 tabular-nums">{t("page", { page: Math.min(page, pages), pages })}</span>
        {go.slice(2).map((b) => (
          <Button key={b.label} variant="secondary" size="icon" aria-label={b.label} disabled={b.disabled} onClick={() => onPage(b.to)}>
            <b.icon className="h-4 w-4" aria-hidden />
          </Button>
        ))}
      </div>
      <div className="flex items-center gap-2">
        <Label htmlFor="per-page">{t("perPage")}</Label>
        <NativeSelect id="per-page" className="h-8 w-28" value={perPage} onChange={(e) => onPerPage(Number(e.target.value) as PageSize)}>
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {t("perPageOption", { count: size })}
            </option>
          ))}
        </NativeSelect>
      </div>
    </nav>
  );
}
