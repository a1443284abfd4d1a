"use client";

import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { ImeSafeForm } from "@/components/console/ime-safe-form";
import { SettingsSave } from "@/components/console/settings-save";
import { Input, Label, NativeSelect } from "@/components/ui/input";
import type { AtobaraiSettings } from "@/lib/billing/atobarai/settings";
import { updateSettingsAction } from "../actions";

type Values = Record<"orderAmountLimit" | "buyerOutstandingLimit" | "reviewAbove" | "defaultsForRejection" | "perOrder" | "ratePercent" | "dueDays" | "reminderDays" | "collectionAfterDays" | "cycle" | "closeWeekday" | "invoiceDelivery", string>;

function valuesOf(s: AtobaraiSettings): Values {
  const cycle = s.nextSettlementCycle ?? s.settlementCycle;
  return {
    orderAmountLimit: String(s.screening.orderAmountLimit),
    buyerOutstandingLimit: String(s.screening.buyerOutstandingLimit),
    reviewAbove: s.screening.reviewAbove === null ? "" : String(s.screening.reviewAbove),
    defaultsForRejection: String(s.screening.defaultsForRejection),
    perOrder: String(s.fees.perOrder),
    ratePercent: (s.fees.rateBasisPoints / 100).toFixed(2),
    dueDays: String(s.dueDays),
    reminderDays: s.reminderDays.join(", "),
    collectionAfterDays: String(s.collectionAfterDays),
    cycle: cycle.kind,
    closeWeekday: String(cycle.kind === "weekly" ? cycle.closeWeekday : 5),
    invoiceDelivery: s.invoiceDelivery,
  };
}

const int = (v: string) => Number(v.normalize("NFKC").replace(/[,\s]/g, ""));

/** 後払い設定: screening rules, fees, due and reminder days, the settlement cycle (a change waits for the current close). */
export function AtobaraiSettingsForm({ settings, readOnlyReason }: { settings: AtobaraiSettings; readOnlyReason: string | null }) {
  const t = useTranslations("atobarai.settings");
  const tErrors = useTranslations("errors");
  const id = useId();
  const [values, setValues] = useState(() => valuesOf(settings));
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const set = (key: keyof Values) => (e: { target: { value: string } }) => setValues({ ...values, [key]: e.target.value });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    startTransition(async () => {
      const result = await updateSettingsAction({
        screening: { orderAmountLimit: int(values.orderAmountLimit), buyerOutstandingLimit: int(values.buyerOutstandingLimit), reviewAbove: values.reviewAbove.trim() ? int(values.reviewAbove) : null, defaultsForRejection: int(values.defaultsForRejection) },
        fees: { perOrder: int(values.perOrder), rateBasisPoints: Math.round(Number(values.ratePercent.normalize("NFKC")) * 100) },
        dueDays: int(values.dueDays),
        reminderDays: values.reminderDays.split(/[,、\s]+/).filter(Boolean).map(int),
        collectionAfterDays: int(values.collectionAfterDays),
        settlementCycle: values.cycle === "weekly" ? { kind: "weekly", closeWeekday: int(values.closeWeekday) } : { kind: "monthly" },
        invoiceDelivery: values.invoiceDelivery as "mail" | "enclosed",
      }).catch(() => null);
      if (!result) return setProblem(tErrors("generic"));
      if (!result.ok) return setProblem(result.field ? `${result.message}（${result.field}）` : result.message);
      setProblem(null);
      toast.success(t("saved"));
    });
  }

  const number = (key: keyof Values, hint?: string) => (
    <div className="flex flex-col gap-1">
      <Label htmlFor={`${id}-${key}`}>{t(`fields.${key}`)}</Label>
      <Input id={`${id}-${key}`} value={values[key]} onChange={set(key)} inputMode="decimal" disabled={readOnlyReason !== null} aria-describedby={hint ? `${id}-${key}-hint` : undefined} />
      {hint ? (
        <p id={`${id}-${key}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
    </div>
  );

  return (
    <ImeSafeForm onSubmit={onSubmit} className="flex max-w-3xl flex-col gap-6" aria-busy={pending}>
      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-lg font-semibold">{t("screening")}</legend>
        {number("orderAmountLimit")}
        {number("buyerOutstandingLimit")}
        {number("reviewAbove", t("hints.reviewAbove"))}
        {number("defaultsForRejection")}
      </fieldset>
      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-lg font-semibold">{t("fees")}</legend>
        {number("perOrder")}
        {number("ratePercent")}
      </fieldset>
      <fieldset className="grid gap-4 sm:grid-cols-3">
        <legend className="mb-2 text-lg font-semibold">{t("collection")}</legend>
        {number("dueDays")}
        {number("reminderDays", t("hints.reminderDays"))}
        {number("collectionAfterDays")}
      </fieldset>
      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-lg font-semibold">{t("settlement")}</legend>
        <div className="flex flex-col gap-1">
          <Label htmlFor={`${id}-cycle`}>{t("fields.cycle")}</Label>
          <NativeSelect id={`${id}-cycle`} value={values.cycle} onChange={set("cycle")} disabled={readOnlyReason !== null}>
            <option value="monthly">{t("monthly")}</option>
            <option value="weekly">{t("weekly")}</option>
          </NativeSelect>
        </div>
        {values.cycle === "weekly" ? (
          <div className="flex flex-col gap-1">
            <Label htmlFor={`${id}-closeWeekday`}>{t("fields.closeWeekday")}</Label>
            <NativeSelect id={`${id}-closeWeekday`} value={values.closeWeekday} onChange={set("closeWeekday")} disabled={readOnlyReason !== null}>
              {(["1", "2", "3", "4", "5", "6", "7"] as const).map((d) => (
                <option key={d} value={d}>
                  {t(`weekday.${d}`)}
                </option>
              ))}
            </NativeSelect>
          </div>
        ) : null}
        <p className="text-xs text-slate-600 sm:col-span-2">{t("hints.cycle")}</p>
      </fieldset>
      <div className="flex flex-col gap-1">
        <Label htmlFor={`${id}-invoiceDelivery`}>{t("fields.invoiceDelivery")}</Label>
        <NativeSelect id={`${id}-invoiceDelivery`} value={values.invoiceDelivery} onChange={set("invoiceDelivery")} disabled={readOnlyReason !== null} className="w-72">
          <option value="mail">{t("mail")}</option>
          <option value="enclosed">{t("enclosed")}</option>
        </NativeSelect>
      </div>
      <SettingsSave problem={problem} readOnlyReason={readOnlyReason} disabled={false} pending={pending} label={t("save")} />
    </ImeSafeForm>
  );
}
