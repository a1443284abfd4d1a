"use client";

import { useTranslations } from "next-intl";
import { useId } from "react";
import { Input, Label } from "@/components/ui/input";
import { pauseContract } from "../actions";
import { ActionDialog, fieldAria, FieldProblemText } from "./action-dialog";
import { useOutcome } from "./outcome";

/** Pause, optionally until a time of the merchant's zone. */
export function PauseDialog({ subscriptionId, disabledReason, minLocal, timeZone }: { subscriptionId: string; disabledReason: string | null; minLocal: string; timeZone: string }) {
  const t = useTranslations("subscription");
  const outcome = useOutcome();
  const inputId = useId();
  const hintId = useId();
  return (
    <ActionDialog
      trigger={t("actions.pause")}
      disabledReason={disabledReason}
      title={t("dialog.pause.title")}
      description={t("dialog.pause.description")}
      submitLabel={t("dialog.pause.submit")}
      fields={["resumeAt"]}
      submit={async (form) => outcome(await pauseContract({ subscriptionId, resumeAt: String(form.get("resumeAt") ?? "") }), () => t("dialog.pause.done"))}
    >
      {(problem) => (
        <div className="flex flex-col gap-1">
          <Label htmlFor={inputId}>
            {t("dialog.pause.resumeAt")} <span className="font-normal text-slate-600">{t("dialog.optional")}</span>
          </Label>
          <Input id={inputId} name="resumeAt" type="datetime-local" min={minLocal} {...fieldAria(problem, "resumeAt", hintId)} />
          <p id={hintId} className="text-xs text-slate-600">
            {t("dialog.pause.resumeAtHint")} {t("dialog.timeZone", { timeZone })}
          </p>
          <FieldProblemText problem={problem} name="resumeAt" />
        </div>
      )}
    </ActionDialog>
  );
}
