"use client";

import { useTranslations } from "next-intl";
import { type CollectionStep, collectionTimeline } from "@/lib/billing/collection-timeline";
import { cn } from "@/lib/cn";
import type { Collection } from "./collection-draft";

const DOT: Record<CollectionStep["kind"], string> = {
  paid_through: "bg-slate-700",
  retry: "bg-sky-600",
  notice: "bg-amber-500",
  fallback_invoice: "bg-emerald-600",
  withdrawal: "bg-red-700",
};

/**
 * The retry schedule and dunning timeline as one line, day 0 being the paid-through date: a bar drawn to scale for the
 * eye, and the same steps as an ordered list for everyone (the bar is hidden from screen readers).
 */
export function CollectionTimelineView({ settings, stale }: { settings: Collection; stale: boolean }) {
  const t = useTranslations("billingSettings.collection");
  const tTemplate = useTranslations("billing.mailTemplate");
  const steps = collectionTimeline(settings);
  const lastDay = Math.max(steps.at(-1)?.day ?? 0, 1);
  const hasNotice = steps.some((s) => s.kind === "notice");

  const label = (step: CollectionStep) => {
    switch (step.kind) {
      case "paid_through":
        return t("step.paid_through");
      case "retry":
        return t("step.retry", { number: step.number });
      case "notice":
        return step.setDay < step.day ? t("step.noticeWaits", { template: tTemplate(step.template), setDay: step.setDay }) : t("step.notice", { template: tTemplate(step.template) });
      case "fallback_invoice":
        return step.setDay < step.day ? t("step.fallbackWaits", { setDay: step.setDay }) : t("step.fallback_invoice");
      case "withdrawal":
        return hasNotice ? t("step.withdrawal", { hours: step.hoursAfter }) : t("step.withdrawalNoNotice", { hours: step.hoursAfter });
    }
  };

  return (
    <div className="flex flex-col gap-3" data-testid="collection-timeline">
      <div>
        <h3 className="text-sm font-semibold">{t("timelineHeading")}</h3>
        <p className="text-xs text-slate-600">{t("timelineLead")}</p>
        {stale ? (
          <p className="mt-1 text-xs text-amber-900" role="status">
            {t("timelineStale")}
          </p>
        ) : null}
      </div>
      <div aria-hidden className="relative mx-2 mt-2 mb-5 h-2 rounded-full bg-slate-200">
        {steps.map((step, i) => (
          <span
            key={i}
            className={cn("absolute top-1/2 h-3.5 w-3.5 -translate-x-1/2 -translate-y-1/2 rounded-full ring-2 ring-white", DOT[step.kind])}
            style={{ left: `${(step.day / lastDay) * 100}%` }}
            title={label(step)}
          />
        ))}
        <span className="absolute top-4 left-0 -translate-x-1/2 text-xs text-slate-600">0</span>
        <span className="absolute top-4 right-0 translate-x-1/2 text-xs text-slate-600">{Math.floor(lastDay)}</span>
      </div>
      <ol className="flex flex-col gap-1.5 text-sm">
        {steps.map((step, i) => (
          <li key={i} className="flex items-baseline gap-3">
            <span aria-hidden className={cn("inline-block h-2.5 w-2.5 shrink-0 rounded-full", DOT[step.kind])} />
            <span className="w-16 shrink-0 text-slate-600 tabular-nums">{t("day", { day: Math.floor(step.day) })}</span>
            <span>{label(step)}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
