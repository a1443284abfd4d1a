"use client";

import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { ImeSafeForm } from "@/components/console/ime-safe-form";
import { Card, CardTitle } from "@/components/ui/card";
import { FieldError, Input, Label } from "@/components/ui/input";
import { SettingsSave } from "@/components/console/settings-save";
import { saveRegistrationNumber } from "../actions";

/** The 適格請求書発行事業者登録番号 printed on receipts; the service normalises it and verifies its check digit. */
export function RegistrationNumberForm({ initial, readOnlyReason }: { initial: string | null; readOnlyReason: string | null }) {
  const t = useTranslations("billingSettings.registration");
  const tErrors = useTranslations("errors");
  const [value, setValue] = useState(initial ?? "");
  const [problem, setProblem] = useState<{ field: boolean; message: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const id = useId();
  const disabled = readOnlyReason !== null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    startTransition(async () => {
      const result = await saveRegistrationNumber({ registrationNumber: value }).catch(() => null);
      if (!result) return setProblem({ field: false, message: tErrors("generic") });
      if (!result.ok) return setProblem({ field: result.field === "registrationNumber", message: result.message });
      setProblem(null);
      // What was stored is shown as stored (half-width, upper-case T).
      setValue(result.data.registrationNumber ?? "");
      toast.success(result.data.registrationNumber ? t("saved") : t("cleared"));
    });
  }

  return (
    <Card aria-labelledby={`${id}-title`}>
      <CardTitle id={`${id}-title`}>{t("heading")}</CardTitle>
      <p className="mb-3 text-sm text-slate-600">{t("lead")}</p>
      <ImeSafeForm onSubmit={onSubmit} className="flex max-w-xl flex-col gap-3" aria-busy={pending}>
        <div className="flex flex-col gap-1">
          <Label htmlFor={`${id}-number`}>{t("label")}</Label>
          <Input
            id={`${id}-number`}
            autoComplete="off"
            placeholder="T1234567890123"
            maxLength={40}
            className="max-w-xs tabular-nums"
            value={value}
            disabled={disabled}
            onChange={(e) => {
              setValue(e.target.value);
              setProblem(null);
            }}
            aria-invalid={problem?.field || undefined}
            aria-describedby={[`${id}-hint`, problem?.field ? `${id}-error` : null].filter(Boolean).join(" ")}
          />
          <p id={`${id}-hint`} className="text-xs text-slate-600">
            {t("hint")}
            {initial ? null : <span className="mt-1 block text-amber-900">{t("notSet")}</span>}
          </p>
          <FieldError id={`${id}-error`}>{problem?.field ? problem.message : null}</FieldError>
        </div>
        <SettingsSave problem={problem && !problem.field ? problem.message : null} readOnlyReason={readOnlyReason} disabled={disabled} pending={pending} label={t("save")} />
      </ImeSafeForm>
    </Card>
  );
}
