"use client";

import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Label, Textarea } from "@/components/ui/input";
import type { ContractActions } from "@/lib/services/queries/contract-actions";
import { cancelContract } from "../actions";
import { ActionDialog, fieldAria, FieldProblemText } from "./action-dialog";
import { ChoiceField } from "./choice-field";
import { useOutcome } from "./outcome";

/** Cancel now or at the paid-through date (when the contract may wait for it), with a reason. */
export function CancelDialog({ subscriptionId, availability, paidThroughLabel, disabledReason }: { subscriptionId: string; availability: ContractActions["cancel"]; paidThroughLabel: string | null; disabledReason: string | null }) {
  const t = useTranslations("subscription");
  const outcome = useOutcome();
  const [when, setWhen] = useState<"period_end" | "now">(availability.periodEnd ? "period_end" : "now");
  const reasonId = useId();
  return (
    <ActionDialog
      trigger={t("actions.cancel")}
      disabledReason={disabledReason}
      title={t("dialog.cancel.title")}
      description={t("dialog.cancel.description")}
      submitLabel={t("dialog.cancel.submit")}
      submitVariant="danger"
      fields={["reason"]}
      onOpenChange={(open) => open && setWhen(availability.periodEnd ? "period_end" : "now")}
      submit={async (form) => {
        const atPeriodEnd = when === "period_end";
        const result = await cancelContract({ subscriptionId, atPeriodEnd, reason: String(form.get("reason") ?? "").trim() });
        return outcome(result, () => t(atPeriodEnd ? "dialog.cancel.doneAtPeriodEnd" : "dialog.cancel.done"));
      }}
    >
      {(problem) => (
        <>
          <ChoiceField
            legend={t("dialog.cancel.when")}
            name="when"
            value={when}
            onChange={(v) => setWhen(v as "period_end" | "now")}
            options={[
              ...(availability.periodEnd && paidThroughLabel ? [{ value: "period_end", label: t("dialog.cancel.periodEnd", { date: paidThroughLabel }), hint: t("dialog.cancel.periodEndHint") }] : []),
              { value: "now", label: t("dialog.cancel.now"), hint: t("dialog.cancel.nowHint") },
            ]}
          />
          <div className="flex flex-col gap-1">
            <Label htmlFor={reasonId}>
              {t("dialog.cancel.reason")} <span className="font-normal text-slate-600">{t("dialog.optional")}</span>
            </Label>
            <Textarea id={reasonId} name="reason" maxLength={1000} rows={3} {...fieldAria(problem, "reason")} />
            <FieldProblemText problem={problem} name="reason" />
          </div>
        </>
      )}
    </ActionDialog>
  );
}
