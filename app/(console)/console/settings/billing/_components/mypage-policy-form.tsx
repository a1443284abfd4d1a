"use client";

import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { Card, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { Label } from "@/components/ui/input";
import { SettingsSave } from "@/components/console/settings-save";
import type { MypagePolicy } from "@/lib/mypage/policy";
import { saveMypagePolicy } from "../actions";

/** What end users may do themselves on the mypage: cancel at the period end only or also at once; pause or not. */
export function MypagePolicyForm({ initial, readOnlyReason }: { initial: MypagePolicy; readOnlyReason: string | null }) {
  const t = useTranslations("billingSettings.mypage");
  const tErrors = useTranslations("errors");
  const [policy, setPolicy] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const id = useId();
  const disabled = readOnlyReason !== null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    startTransition(async () => {
      const result = await saveMypagePolicy(policy).catch(() => null);
      if (!result) return setProblem(tErrors("generic"));
      if (!result.ok) return setProblem(result.message);
      setProblem(null);
      toast.success(t("saved"));
    });
  }

  const cancelOption = (value: MypagePolicy["cancel"], label: string, hint: string) => (
    <label className="flex items-start gap-2 text-sm">
      <input
        type="radio"
        name={`${id}-cancel`}
        value={value}
        checked={policy.cancel === value}
        disabled={disabled}
        onChange={() => setPolicy({ ...policy, cancel: value })}
        className="mt-0.5 h-4 w-4 accent-sky-700"
        aria-describedby={`${id}-${value}-hint`}
      />
      <span>
        {label}
        <span id={`${id}-${value}-hint`} className="block text-xs text-slate-600">
          {hint}
        </span>
      </span>
    </label>
  );

  return (
    <Card aria-labelledby={`${id}-title`}>
      <CardTitle id={`${id}-title`}>{t("heading")}</CardTitle>
      <p className="mb-3 text-sm text-slate-600">{t("lead")}</p>
      <form onSubmit={onSubmit} className="flex flex-col gap-4" aria-busy={pending}>
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-sm font-medium text-slate-800">{t("cancel")}</legend>
          {cancelOption("period_end", t("cancelPeriodEnd"), t("cancelPeriodEndHint"))}
          {cancelOption("immediate_allowed", t("cancelImmediate"), t("cancelImmediateHint"))}
        </fieldset>
        <div className="flex items-start gap-2">
          <Checkbox id={`${id}-pause`} className="mt-0.5" checked={policy.pause} disabled={disabled} onCheckedChange={(checked) => setPolicy({ ...policy, pause: checked === true })} aria-describedby={`${id}-pause-hint`} />
          <div>
            <Label htmlFor={`${id}-pause`}>{t("pause")}</Label>
            <p id={`${id}-pause-hint`} className="text-xs text-slate-600">
              {t("pauseHint")}
            </p>
          </div>
        </div>
        <SettingsSave problem={problem} readOnlyReason={readOnlyReason} disabled={disabled} pending={pending} label={t("save")} />
      </form>
    </Card>
  );
}
