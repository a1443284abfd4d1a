"use client";

import { Plus, X } from "lucide-react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { FieldError, Label, NativeSelect } from "@/components/ui/input";
import { DUNNING_TEMPLATES } from "@/lib/billing/mail-template";
import { type CollectionDraft, type ProblemCode, type Problems, rowKey, wholeNumber } from "./collection-draft";
import { NumberField } from "./number-field";
import { nextDay } from "./retry-fields";

const MAX_NOTICES = 10;

/**
 * The dunning notices (kind and day, kept in order of days), the withdrawal after the last one, and the overdue
 * invoice sent as a 後払い (konbini / bank) invoice on a day of its own — which needs 後払い on: while it is off it
 * cannot be turned on (it can be turned off), and the reason says so.
 */
export function DunningFields({
  id,
  draft,
  onChange,
  problems,
  problemText,
  disabled,
  atobaraiOn,
}: {
  id: string;
  draft: CollectionDraft;
  onChange: (draft: CollectionDraft) => void;
  problems: Problems;
  problemText: (code: ProblemCode) => string;
  disabled: boolean;
  atobaraiOn: boolean;
}) {
  const t = useTranslations("billingSettings.collection");
  const tTemplate = useTranslations("billing.mailTemplate");
  const problem = (field: string) => (problems[field] ? problemText(problems[field]) : null);
  const rows = draft.notices;
  const setRows = (notices: CollectionDraft["notices"]) => onChange({ ...draft, notices });
  // Once a day is typed, the row moves to its place among the others: the list always reads in the order sent.
  const sortByDays = () => {
    const sorted = [...rows].sort((a, b) => orderOf(a.days) - orderOf(b.days));
    if (sorted.some((r, i) => r !== rows[i])) setRows(sorted);
  };
  const unused = DUNNING_TEMPLATES.find((template) => !rows.some((r) => r.template === template)) ?? DUNNING_TEMPLATES[0];

  return (
    <fieldset className="flex flex-col gap-3" aria-describedby={`${id}-dunning-lead`}>
      <legend className="mb-1 text-sm font-semibold">{t("dunningHeading")}</legend>
      <p id={`${id}-dunning-lead`} className="text-xs text-slate-600">
        {t("dunningLead")}
      </p>
      {rows.length === 0 ? <p className="text-sm text-slate-600">{t("noNotices")}</p> : null}
      <ol className="flex flex-col gap-2">
        {rows.map((row, i) => (
          <li key={row.key} className="flex flex-wrap items-end gap-2" data-testid="dunning-notice">
            <div className="flex flex-col gap-1">
              <Label htmlFor={`${id}-template-${row.key}`}>{t("noticeTemplate", { number: i + 1 })}</Label>
              <NativeSelect
                id={`${id}-template-${row.key}`}
                className="w-56"
                value={row.template}
                disabled={disabled}
                onChange={(e) => setRows(rows.map((r) => (r.key === row.key ? { ...r, template: e.target.value as typeof row.template } : r)))}
              >
                {DUNNING_TEMPLATES.map((template) => (
                  <option key={template} value={template}>
                    {tTemplate(template)}
                  </option>
                ))}
              </NativeSelect>
            </div>
            <NumberField
              id={`${id}-notice-${row.key}`}
              label={t("noticeDay", { number: i + 1 })}
              unit={t("daysUnit")}
              value={row.days}
              onChange={(days) => setRows(rows.map((r) => (r.key === row.key ? { ...r, days } : r)))}
              onBlur={sortByDays}
              problem={problem(`notice.${i}`)}
              disabled={disabled}
            />
            <Button variant="ghost" size="icon" className="mb-1" aria-label={t("removeNotice", { number: i + 1 })} disabled={disabled} onClick={() => setRows(rows.filter((r) => r.key !== row.key))}>
              <X className="h-4 w-4" aria-hidden />
            </Button>
          </li>
        ))}
      </ol>
      <FieldError id={`${id}-notices-error`}>{problem("notices")}</FieldError>
      <div>
        <Button
          variant="secondary"
          size="sm"
          disabled={disabled || rows.length >= MAX_NOTICES}
          onClick={() => setRows([...rows, { key: rowKey(), template: unused, days: String(nextDay(rows.map((r) => r.days))) }])}
        >
          <Plus className="h-4 w-4" aria-hidden />
          {t("addNotice")}
        </Button>
        {rows.length >= MAX_NOTICES ? <p className="mt-1 text-xs text-slate-600">{t("noticesFull")}</p> : null}
      </div>
      <div className="flex flex-col gap-2 border-t border-slate-200 pt-3">
        <div className="flex items-center gap-2">
          <Checkbox id={`${id}-withdraw`} checked={draft.withdrawEnabled} disabled={disabled} onCheckedChange={(checked) => onChange({ ...draft, withdrawEnabled: checked === true })} />
          <Label htmlFor={`${id}-withdraw`}>{t("withdrawEnabled")}</Label>
        </div>
        {draft.withdrawEnabled ? (
          <NumberField
            id={`${id}-withdraw-hours`}
            label={t("withdrawHours")}
            unit={t("withdrawHoursUnit")}
            value={draft.withdrawHours}
            onChange={(withdrawHours) => onChange({ ...draft, withdrawHours })}
            problem={problem("withdrawHours")}
            disabled={disabled}
          />
        ) : (
          <p className="text-xs text-slate-600">{t("withdrawOffHint")}</p>
        )}
      </div>
      <div className="flex flex-col gap-2 border-t border-slate-200 pt-3" data-testid="fallback-invoice">
        <div className="flex items-center gap-2">
          <Checkbox
            id={`${id}-fallback`}
            checked={draft.fallbackEnabled}
            disabled={disabled || (!atobaraiOn && !draft.fallbackEnabled)}
            aria-describedby={`${id}-fallback-hint`}
            onCheckedChange={(checked) => onChange({ ...draft, fallbackEnabled: checked === true })}
          />
          <Label htmlFor={`${id}-fallback`}>{t("fallbackEnabled")}</Label>
        </div>
        <p id={`${id}-fallback-hint`} className={atobaraiOn ? "text-xs text-slate-600" : "text-xs text-amber-900"}>
          {atobaraiOn ? t("fallbackHint") : draft.fallbackEnabled ? t("fallbackOffSaved") : t("fallbackOff")}
        </p>
        {draft.fallbackEnabled ? (
          <NumberField
            id={`${id}-fallback-days`}
            label={t("fallbackDay")}
            unit={t("daysUnit")}
            value={draft.fallbackDays}
            onChange={(fallbackDays) => onChange({ ...draft, fallbackDays })}
            problem={problem("fallbackDays")}
            disabled={disabled}
          />
        ) : null}
      </div>
    </fieldset>
  );
}

/** A row whose day is not a number yet stays at the end until it is. */
function orderOf(days: string): number {
  const n = wholeNumber(days);
  return Number.isNaN(n) ? Number.POSITIVE_INFINITY : n;
}
