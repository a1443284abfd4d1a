"use client";

import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Input, Label, NativeSelect } from "@/components/ui/input";
import { formatMoney } from "@/lib/billing/money";
import type { UsageRate } from "@/lib/billing/plan";
import { recordContractUsage } from "../actions";
import { ActionDialog, fieldAria, FieldProblemText } from "./action-dialog";
import { useOutcome } from "./outcome";

/** Usage (従量) of one of the plan's metrics, billed on the next renewal. */
export function UsageDialog({ subscriptionId, disabledReason, rates, currency }: { subscriptionId: string; disabledReason: string | null; rates: UsageRate[]; currency: string }) {
  const t = useTranslations("subscription");
  const outcome = useOutcome();
  const [idempotencyKey, setIdempotencyKey] = useState("");
  const metricId = useId();
  const quantityId = useId();
  return (
    <ActionDialog
      trigger={t("actions.usage")}
      disabledReason={disabledReason}
      title={t("dialog.usage.title")}
      description={t("dialog.usage.description")}
      submitLabel={t("dialog.usage.submit")}
      fields={["metric", "quantity"]}
      // One key per opened dialog: a double submit records the usage once.
      onOpenChange={(open) => open && setIdempotencyKey(crypto.randomUUID())}
      submit={async (form) => {
        const metric = String(form.get("metric") ?? "");
        const text = String(form.get("quantity") ?? "").normalize("NFKC").trim();
        const quantity = /^\d+$/.test(text) ? Number(text) : NaN;
        if (!Number.isSafeInteger(quantity) || quantity < 1) return { problem: t("dialog.usage.quantityInvalid"), field: "quantity" };
        const result = await recordContractUsage({ subscriptionId, metric, quantity, idempotencyKey });
        return outcome(result, () => t("dialog.usage.done", { metric, quantity }));
      }}
    >
      {(problem) => (
        <>
          <div className="flex flex-col gap-1">
            <Label htmlFor={metricId}>{t("dialog.usage.metric")}</Label>
            <NativeSelect id={metricId} name="metric" {...fieldAria(problem, "metric")}>
              {rates.map((rate) => (
                <option key={rate.metric} value={rate.metric}>
                  {t("dialog.usage.rate", { metric: rate.metric, amount: formatMoney({ amount: rate.unitAmount, currency }) })}
                </option>
              ))}
            </NativeSelect>
            <FieldProblemText problem={problem} name="metric" />
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor={quantityId}>{t("dialog.usage.quantity")}</Label>
            <Input id={quantityId} name="quantity" inputMode="numeric" autoComplete="off" required {...fieldAria(problem, "quantity")} />
            <FieldProblemText problem={problem} name="quantity" />
          </div>
        </>
      )}
    </ActionDialog>
  );
}
