"use client";

import { useFormatter, useTranslations } from "next-intl";
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from "@/lib/billing/subscription-state";
import type { StatusCounts } from "@/lib/services/queries/subscription-search-schema";
import { cn } from "@/lib/cn";

/**
 * すべて and one tab per status, each with how many contracts match the other filters. A tab is a toggle (pressed:
 * showing that status only); several statuses at once come from the filters panel or a saved search.
 */
export function StatusTabs({ selected, counts, onSelect }: { selected: SubscriptionStatus[]; counts: StatusCounts | null; onSelect: (status: SubscriptionStatus[]) => void }) {
  const t = useTranslations("subscriptions.tabs");
  const status = useTranslations("common.status");
  const format = useFormatter();
  const all = counts ? Object.values(counts).reduce((sum, n) => sum + n, 0) : null;
  const tabs: { key: string; label: string; count: number | null; pressed: boolean; statuses: SubscriptionStatus[] }[] = [
    { key: "all", label: t("all"), count: all, pressed: selected.length === 0, statuses: [] },
    ...SUBSCRIPTION_STATUSES.map((s) => ({ key: s, label: status(s), count: counts ? counts[s] : null, pressed: selected.length === 1 && selected[0] === s, statuses: [s] })),
  ];
  return (
    <div>
      <div role="group" aria-label={t("label")} className="flex flex-wrap gap-1 border-b border-slate-200">
        {tabs.map((tab) => (
          <button
            key={tab.key}
            type="button"
            aria-pressed={tab.pressed}
            data-testid={`tab-${tab.key}`}
            onClick={() => onSelect(tab.statuses)}
            className={cn(
              "-mb-px flex items-center gap-1.5 border-b-2 px-3 py-2 text-sm whitespace-nowrap focus-visible:outline-2 focus-visible:outline-sky-600",
              tab.pressed ? "border-sky-700 font-semibold text-sky-800" : "border-transparent text-slate-700 hover:border-slate-300",
            )}
          >
            {tab.label}
            {tab.count !== null ? <span className="rounded-full bg-slate-100 px-2 text-xs text-slate-700 tabular-nums">{format.number(tab.count)}</span> : null}
          </button>
        ))}
      </div>
      {selected.length > 1 ? <p className="mt-2 text-xs text-slate-600">{t("several")}</p> : null}
    </div>
  );
}
