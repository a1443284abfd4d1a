"use client";

import { Plus, X } from "lucide-react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/input";
import { RETRY_PRESETS } from "@/lib/billing/billing-settings";
import { type CollectionDraft, type ProblemCode, type Problems, RETRY_MODES, type RetryMode, rowKey } from "./collection-draft";
import { NumberField } from "./number-field";

const MAX_RETRIES = 10;

/** The retry schedule: a preset, or custom days after the first failure, each beside its own problem. */
export function RetryFields({
  id,
  draft,
  onChange,
  problems,
  problemText,
  disabled,
}: {
  id: string;
  draft: CollectionDraft;
  onChange: (draft: CollectionDraft) => void;
  problems: Problems;
  problemText: (code: ProblemCode) => string;
  disabled: boolean;
}) {
  const t = useTranslations("billingSettings.collection");
  const problem = (field: string) => (problems[field] ? problemText(problems[field]) : null);
  const rows = draft.customDays;
  const setRows = (customDays: CollectionDraft["customDays"]) => onChange({ ...draft, customDays });

  return (
    <fieldset className="flex flex-col gap-3" aria-describedby={`${id}-lead`}>
      <legend className="mb-1 text-sm font-semibold">{t("retryHeading")}</legend>
      <p id={`${id}-lead`} className="text-xs text-slate-600">
        {t("retryLead")}
      </p>
      <div className="flex flex-wrap gap-x-5 gap-y-2">
        {RETRY_MODES.map((mode) => (
          <label key={mode} className="flex items-center gap-2 text-sm">
            <input type="radio" name={`${id}-mode`} value={mode} checked={draft.mode === mode} disabled={disabled} onChange={() => onChange(withMode(draft, mode))} className="h-4 w-4 accent-sky-700" />
            {t(`preset.${mode}`)}
          </label>
        ))}
      </div>
      {draft.mode === "custom" ? (
        <div className="flex flex-col gap-2 rounded-md border border-slate-200 p-3">
          {rows.length === 0 ? <p className="text-sm text-slate-600">{t("noRetries")}</p> : null}
          <ol className="flex flex-col gap-2">
            {rows.map((row, i) => (
              <li key={row.key} className="flex items-end gap-2">
                <NumberField
                  id={`${id}-retry-${row.key}`}
                  label={t("retryDay", { number: i + 1 })}
                  unit={t("daysUnit")}
                  value={row.days}
                  onChange={(days) => setRows(rows.map((r) => (r.key === row.key ? { ...r, days } : r)))}
                  problem={problem(`retry.${i}`)}
                  disabled={disabled}
                />
                <Button variant="ghost" size="icon" className="mb-1" aria-label={t("removeRetry", { number: i + 1 })} disabled={disabled} onClick={() => setRows(rows.filter((r) => r.key !== row.key))}>
                  <X className="h-4 w-4" aria-hidden />
                </Button>
              </li>
            ))}
          </ol>
          <FieldError id={`${id}-retries-error`}>{problem("retries")}</FieldError>
          <div>
            <Button
              variant="secondary"
              size="sm"
              disabled={disabled || rows.length >= MAX_RETRIES}
              title={rows.length >= MAX_RETRIES ? t("retriesFull") : undefined}
              onClick={() => setRows([...rows, { key: rowKey(), days: String(nextDay(rows.map((r) => r.days))) }])}
            >
              <Plus className="h-4 w-4" aria-hidden />
              {t("addRetry")}
            </Button>
            {rows.length >= MAX_RETRIES ? <p className="mt-1 text-xs text-slate-600">{t("retriesFull")}</p> : null}
          </div>
        </div>
      ) : null}
    </fieldset>
  );
}

/** A new row starts a week after the last one (or at 7 days). */
export function nextDay(days: string[]): number {
  const last = Number(days.at(-1)?.normalize("NFKC"));
  return Number.isInteger(last) && last > 0 ? last + 7 : 7;
}

/** Going from a preset to custom starts from the preset's days, to be edited. */
function withMode(draft: CollectionDraft, mode: RetryMode): CollectionDraft {
  if (mode !== "custom" || draft.mode === "custom") return { ...draft, mode };
  return { ...draft, mode, customDays: RETRY_PRESETS[draft.mode].map((d) => ({ key: rowKey(), days: String(d) })) };
}
