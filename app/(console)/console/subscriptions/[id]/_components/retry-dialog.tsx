"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Input, Label } from "@/components/ui/input";
import { formatMoney } from "@/lib/billing/money";
import { DATE_TIME_FORMAT } from "@/lib/i18n/formats";
import { retryContractPayment } from "../actions";
import { ActionDialog, fieldAria, FieldProblemText } from "./action-dialog";
import { ChoiceField } from "./choice-field";
import { useOutcome } from "./outcome";

/** Collect the owed invoice now, or plan the retry at a date and time of the merchant's zone (seed 004). */
export function RetryDialog({
  subscriptionId,
  disabledReason,
  owed,
  defaultAtLocal,
  minLocal,
  timeZone,
}: {
  subscriptionId: string;
  disabledReason: string | null;
  owed: { total: number; currency: string } | null;
  defaultAtLocal: string;
  minLocal: string;
  timeZone: string;
}) {
  const t = useTranslations("subscription");
  const format = useFormatter();
  const outcome = useOutcome();
  const [when, setWhen] = useState<"now" | "at">("now");
  const inputId = useId();
  const hintId = useId();
  return (
    <ActionDialog
      trigger={t("actions.retry")}
      disabledReason={disabledReason}
      title={t("dialog.retry.title")}
      description={owed ? t("dialog.retry.description", { amount: formatMoney({ amount: owed.total, currency: owed.currency }) }) : undefined}
      submitLabel={when === "now" ? t("dialog.retry.submitNow") : t("dialog.retry.submitAt")}
      fields={["at"]}
      onOpenChange={(open) => open && setWhen("now")}
      submit={async (form) => {
        const at = when === "at" ? String(form.get("at") ?? "") : "";
        if (when === "at" && !at) return { problem: t("dialog.retry.required"), field: "at" };
        const result = await retryContractPayment({ subscriptionId, at });
        return outcome(result, (data) => ("scheduledAt" in data ? t("dialog.retry.scheduled", { at: format.dateTime(new Date(data.scheduledAt), DATE_TIME_FORMAT) }) : t("dialog.retry.paid")));
      }}
    >
      {(problem) => (
        <>
          <ChoiceField
            legend={t("dialog.retry.when")}
            name="when"
            value={when}
            onChange={(v) => setWhen(v as "now" | "at")}
            options={[
              { value: "now", label: t("dialog.retry.now") },
              { value: "at", label: t("dialog.retry.at") },
            ]}
          />
          {when === "at" ? (
            <div className="flex flex-col gap-1">
              <Label htmlFor={inputId}>{t("dialog.retry.atLabel")}</Label>
              <Input id={inputId} name="at" type="datetime-local" required defaultValue={defaultAtLocal} min={minLocal} {...fieldAria(problem, "at", hintId)} />
              <p id={hintId} className="text-xs text-slate-600">
                {t("dialog.retry.atHint")} {t("dialog.timeZone", { timeZone })}
              </p>
              <FieldProblemText problem={problem} name="at" />
            </div>
          ) : null}
        </>
      )}
    </ActionDialog>
  );
}
