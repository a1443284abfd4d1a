"use client";

import { FilePlus } from "lucide-react";
import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { ImeSafeForm } from "@/components/console/ime-safe-form";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions, DialogContent, DialogProblem, DialogTrigger } from "@/components/ui/dialog";
import { FieldError, Label, NativeSelect } from "@/components/ui/input";
import { DisabledReason } from "@/components/ui/tooltip";
import { createClockContractAction } from "../actions";

export type PlanGroup = { productId: string; productName: string; plans: { id: string; label: string }[] };

type Field = "customer" | "plan";
type Problem = { field: Field | null; message: string };
const EMPTY = { customerId: "", planId: "" };

/**
 * 「契約を作成」: one of the clock's customers signs up to a plan of the catalogue at the clock's time, charged on their
 * test card. A declined first charge still makes the contract (未完了), which the toast says.
 */
export function AddContractDialog({
  testClockId,
  customers,
  groups,
  disabledReason,
}: {
  testClockId: string;
  customers: { id: string; label: string }[];
  groups: PlanGroup[];
  disabledReason: string | null;
}) {
  const t = useTranslations("testClocks.contract");
  const tCommon = useTranslations("common");
  const tErrors = useTranslations("errors");
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState(EMPTY);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [pending, startTransition] = useTransition();
  const id = useId();

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      setValues(EMPTY);
      setProblem(null);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!values.customerId) return setProblem({ field: "customer", message: t("customerRequired") });
    if (!values.planId) return setProblem({ field: "plan", message: t("planRequired") });
    startTransition(async () => {
      const result = await createClockContractAction({ testClockId, ...values }).catch(() => null);
      if (!result) return setProblem({ field: null, message: tErrors("generic") });
      if (!result.ok) {
        if (result.field === "plan" || result.field === "planId") return setProblem({ field: "plan", message: t("planGone") });
        return setProblem({ field: null, message: result.message });
      }
      onOpenChange(false);
      if (result.data.paid) toast.success(t("created"));
      else toast.warning(t("createdDeclined", { code: result.data.declineCode ?? "declined" }));
    });
  }

  const aria = (field: Field) => ({ "aria-invalid": problem?.field === field || undefined, "aria-describedby": problem?.field === field ? `${id}-${field}-error` : undefined });

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DisabledReason reason={disabledReason}>
        <DialogTrigger asChild>
          <Button variant="secondary" disabled={disabledReason !== null}>
            <FilePlus className="h-4 w-4" aria-hidden />
            {t("button")}
          </Button>
        </DialogTrigger>
      </DisabledReason>
      <DialogContent title={t("title")} description={t("description")} closeLabel={tCommon("close")}>
        <ImeSafeForm onSubmit={onSubmit} className="flex flex-col gap-4" aria-busy={pending}>
          <div className="flex flex-col gap-1">
            <Label htmlFor={`${id}-customer`}>{t("customer")}</Label>
            <NativeSelect id={`${id}-customer`} value={values.customerId} onChange={(e) => setValues({ ...values, customerId: e.target.value })} {...aria("customer")}>
              <option value="">{t("customerPlaceholder")}</option>
              {customers.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </NativeSelect>
            <FieldError id={`${id}-customer-error`}>{problem?.field === "customer" ? problem.message : null}</FieldError>
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor={`${id}-plan`}>{t("plan")}</Label>
            <NativeSelect id={`${id}-plan`} value={values.planId} onChange={(e) => setValues({ ...values, planId: e.target.value })} {...aria("plan")}>
              <option value="">{t("planPlaceholder")}</option>
              {groups.map((group) => (
                <optgroup key={group.productId} label={group.productName}>
                  {group.plans.map((plan) => (
                    <option key={plan.id} value={plan.id}>
                      {plan.label}
                    </option>
                  ))}
                </optgroup>
              ))}
            </NativeSelect>
            <FieldError id={`${id}-plan-error`}>{problem?.field === "plan" ? problem.message : null}</FieldError>
          </div>
          <DialogProblem>{problem?.field === null ? problem.message : null}</DialogProblem>
          <DialogActions cancelLabel={tCommon("cancel")} label={pending ? t("pending") : t("submit")} pending={pending} />
        </ImeSafeForm>
      </DialogContent>
    </Dialog>
  );
}
