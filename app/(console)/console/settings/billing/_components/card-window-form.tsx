"use client";

import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { ImeSafeForm } from "@/components/console/ime-safe-form";
import { Card, CardTitle } from "@/components/ui/card";
import { SettingsSave } from "@/components/console/settings-save";
import { billingSettingsSchema } from "@/lib/billing/billing-settings";
import { saveCardOnFileWindow } from "../actions";
import { wholeNumber } from "./collection-draft";
import { NumberField } from "./number-field";

/** How long after the last successful payment an extra charge may go to the saved card. */
export function CardWindowForm({ initial, readOnlyReason }: { initial: number; readOnlyReason: string | null }) {
  const t = useTranslations("billingSettings.cardWindow");
  const tProblems = useTranslations("billingSettings.problems");
  const tErrors = useTranslations("errors");
  const [value, setValue] = useState(String(initial));
  const [problem, setProblem] = useState<{ field: boolean; message: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const id = useId();
  const disabled = readOnlyReason !== null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const days = wholeNumber(value);
    if (!billingSettingsSchema.shape.cardOnFileWindowDays.safeParse(days).success) return setProblem({ field: true, message: tProblems("cardWindow") });
    startTransition(async () => {
      const result = await saveCardOnFileWindow({ cardOnFileWindowDays: days }).catch(() => null);
      if (!result) return setProblem({ field: false, message: tErrors("generic") });
      if (!result.ok) return setProblem(result.field === "cardOnFileWindowDays" ? { field: true, message: tProblems("cardWindow") } : { field: false, message: result.message });
      setProblem(null);
      toast.success(t("saved"));
    });
  }

  return (
    <Card aria-labelledby={`${id}-title`}>
      <CardTitle id={`${id}-title`}>{t("heading")}</CardTitle>
      <p className="mb-3 text-sm text-slate-600">{t("lead")}</p>
      <ImeSafeForm onSubmit={onSubmit} className="flex flex-col gap-3" aria-busy={pending}>
        <NumberField
          id={`${id}-days`}
          label={t("label")}
          unit={t("unit")}
          value={value}
          onChange={(next) => {
            setValue(next);
            setProblem(null);
          }}
          problem={problem?.field ? problem.message : null}
          disabled={disabled}
        />
        <SettingsSave problem={problem && !problem.field ? problem.message : null} readOnlyReason={readOnlyReason} disabled={disabled} pending={pending} label={t("save")} />
      </ImeSafeForm>
    </Card>
  );
}
