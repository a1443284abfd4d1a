"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useId, useState } from "react";
import { Label, NativeSelect } from "@/components/ui/input";
import { formatMoney } from "@/lib/billing/money";
import { DATE_FORMAT } from "@/lib/i18n/formats";
import type { ContractActions } from "@/lib/services/queries/contract-actions";
import type { PlanSummary } from "@/lib/services/queries/subscription-detail";
import { changeContractPlan, type PlanChangePreviewView, previewContractPlanChange } from "../actions";
import { ActionDialog, fieldAria, FieldProblemText } from "./action-dialog";
import { ChoiceField } from "./choice-field";
import { useOutcome } from "./outcome";

type When = "now" | "period_end";
type Proration = "daily" | "none";
type Answer = { state: "ready"; preview: PlanChangePreviewView } | { state: "refused"; message: string };
type Preview = { state: "loading" } | Answer;

/**
 * Change plan now (prorated by day or not) or at the next renewal. Every choice is previewed by the service
 * (previewPlanChange, nothing written): the invoice charged now and the next renewal's amount.
 */
export function ChangePlanDialog({
  subscriptionId,
  availability,
  disabledReason,
  currentPlan,
  pendingPlanId,
  choices,
}: {
  subscriptionId: string;
  availability: ContractActions["changePlan"];
  disabledReason: string | null;
  currentPlan: PlanSummary;
  pendingPlanId: string | null;
  choices: PlanSummary[];
}) {
  const t = useTranslations("subscription");
  const tBilling = useTranslations("billing");
  const format = useFormatter();
  const outcome = useOutcome();
  const firstChoice = choices[0]?.id ?? (pendingPlanId ? currentPlan.id : "");
  // Each opening of the dialog is a new round of previews: an answer from an earlier one is never shown.
  const [opened, setOpened] = useState(0);
  const [open, setOpen] = useState(false);
  const [planId, setPlanId] = useState(firstChoice);
  const [when, setWhen] = useState<When>("now");
  const [proration, setProration] = useState<Proration>("daily");
  const [answer, setAnswer] = useState<{ key: string; answer: Answer } | null>(null);
  const requestKey = `${opened}|${planId}|${when}|${proration}`;
  const preview: Preview = answer?.key === requestKey ? answer.answer : { state: "loading" };
  const planFieldId = useId();
  const previewId = useId();

  useEffect(() => {
    if (!open || !planId) return;
    // The newest choice wins: an answer to an older one is dropped.
    let current = true;
    void previewContractPlanChange({ subscriptionId, planId, when, proration }).then((result) => {
      if (current) setAnswer({ key: requestKey, answer: result.ok ? { state: "ready", preview: result.data } : { state: "refused", message: result.message } });
    });
    return () => {
      current = false;
    };
  }, [open, subscriptionId, planId, when, proration, requestKey]);

  const money = (amount: number, currency: string) => formatMoney({ amount, currency });
  const optionLabel = (plan: PlanSummary) =>
    t("dialog.changePlan.option", { product: plan.productName, plan: plan.name, interval: tBilling(`interval.${plan.interval}`), amount: money(plan.amount, plan.currency) });

  return (
    <ActionDialog
      trigger={t("actions.changePlan")}
      disabledReason={disabledReason}
      title={t("dialog.changePlan.title")}
      submitLabel={t("dialog.changePlan.submit")}
      submitDisabled={preview.state !== "ready"}
      fields={["plan"]}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) {
          setOpened((n) => n + 1);
          setPlanId(firstChoice);
          setWhen("now");
          setProration("daily");
        }
      }}
      submit={async () => {
        const result = await changeContractPlan({ subscriptionId, planId, when, proration });
        return outcome(result, () => t(when === "period_end" ? "dialog.changePlan.doneAtPeriodEnd" : "dialog.changePlan.done"));
      }}
    >
      {(problem) => (
        <>
          <div className="flex flex-col gap-1">
            <Label htmlFor={planFieldId}>{t("dialog.changePlan.plan")}</Label>
            <NativeSelect id={planFieldId} name="plan" value={planId} onChange={(e) => setPlanId(e.target.value)} {...fieldAria(problem, "plan")}>
              {pendingPlanId ? <option value={currentPlan.id}>{t("dialog.changePlan.keepCurrent")}</option> : null}
              {choices.map((plan) => (
                <option key={plan.id} value={plan.id}>
                  {optionLabel(plan)}
                </option>
              ))}
            </NativeSelect>
            <FieldProblemText problem={problem} name="plan" />
          </div>
          {availability.periodEnd ? (
            <ChoiceField
              legend={t("dialog.changePlan.when")}
              name="when"
              value={when}
              onChange={(v) => setWhen(v as When)}
              options={[
                { value: "now", label: t("dialog.changePlan.now") },
                { value: "period_end", label: t("dialog.changePlan.periodEnd") },
              ]}
            />
          ) : null}
          {when === "now" ? (
            <ChoiceField
              legend={t("dialog.changePlan.proration")}
              name="proration"
              value={proration}
              onChange={(v) => setProration(v as Proration)}
              options={[
                { value: "daily", label: t("dialog.changePlan.prorationDaily") },
                { value: "none", label: t("dialog.changePlan.prorationNone") },
              ]}
            />
          ) : null}
          <section aria-labelledby={previewId} aria-live="polite" className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm" data-testid="plan-change-preview">
            <h3 id={previewId} className="mb-2 font-semibold">
              {t("dialog.changePlan.preview")}
            </h3>
            {preview.state === "loading" ? <p className="text-slate-600">{t("dialog.changePlan.previewLoading")}</p> : null}
            {preview.state === "refused" ? (
              <p role="alert" className="text-red-800">
                {preview.message}
              </p>
            ) : null}
            {preview.state === "ready" ? (
              <div className="flex flex-col gap-2">
                {preview.preview.invoice ? (
                  <>
                    <p className="font-medium">{t("dialog.changePlan.invoiceNow", { amount: money(preview.preview.invoice.total, preview.preview.invoice.currency) })}</p>
                    <ul className="flex flex-col gap-0.5 text-slate-700">
                      {preview.preview.invoice.lines.map((line, i) => (
                        <li key={i} className="flex justify-between gap-4">
                          <span>{line.description}</span>
                          <span className="tabular-nums">{money(line.amount, preview.preview.invoice!.currency)}</span>
                        </li>
                      ))}
                    </ul>
                    {preview.preview.invoice.creditCarried > 0 ? (
                      <p>{t("dialog.changePlan.creditCarried", { amount: money(preview.preview.invoice.creditCarried, preview.preview.invoice.currency) })}</p>
                    ) : null}
                  </>
                ) : (
                  <p>{t("dialog.changePlan.noInvoiceNow")}</p>
                )}
                <p>
                  {preview.preview.nextRenewal
                    ? t("dialog.changePlan.nextRenewal", {
                        date: format.dateTime(new Date(preview.preview.nextRenewal.at), DATE_FORMAT),
                        amount: money(preview.preview.nextRenewal.total, preview.preview.nextRenewal.currency),
                      })
                    : t("dialog.changePlan.noNextRenewal")}
                </p>
              </div>
            ) : null}
          </section>
        </>
      )}
    </ActionDialog>
  );
}
