"use client";

import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { ImeSafeForm } from "@/components/console/ime-safe-form";
import { Card, CardTitle } from "@/components/ui/card";
import { FieldError, Input, Label } from "@/components/ui/input";
import { SettingsSave } from "@/components/console/settings-save";
import type { ActionResult } from "@/lib/console/action";

/**
 * The merchant's 特定商取引法に基づく表記 URL, which every checkout page's final confirmation links to. Shown on the
 * checkout links and billing settings pages; each passes its own server action (`save`), which calls updateTokushohoUrl.
 */
export function TokushohoForm({ initial, readOnlyReason, save }: { initial: string; readOnlyReason: string | null; save: (input: { url: string }) => Promise<ActionResult> }) {
  const t = useTranslations("checkoutLinks.tokushoho");
  const tErrors = useTranslations("errors");
  const [url, setUrl] = useState(initial);
  const [problem, setProblem] = useState<{ field: boolean; message: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const id = useId();
  const disabled = readOnlyReason !== null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    startTransition(async () => {
      const result = await save({ url }).catch(() => null);
      if (!result) return setProblem({ field: false, message: tErrors("generic") });
      if (!result.ok) return setProblem(result.field === "url" ? { field: true, message: t("invalid") } : { field: false, message: result.message });
      setProblem(null);
      toast.success(t("saved"));
    });
  }

  return (
    <Card aria-labelledby={`${id}-title`}>
      <CardTitle id={`${id}-title`}>{t("heading")}</CardTitle>
      <p className="mb-3 text-sm text-slate-600">{t("lead")}</p>
      <ImeSafeForm onSubmit={onSubmit} className="flex max-w-xl flex-col gap-3" aria-busy={pending}>
        <div className="flex flex-col gap-1">
          <Label htmlFor={`${id}-url`}>{t("url")}</Label>
          <Input
            id={`${id}-url`}
            type="url"
            inputMode="url"
            placeholder="https://example.jp/tokushoho"
            maxLength={2000}
            value={url}
            disabled={disabled}
            onChange={(e) => setUrl(e.target.value)}
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
