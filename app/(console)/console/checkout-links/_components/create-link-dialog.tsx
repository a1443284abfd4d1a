"use client";

import { Plus } from "lucide-react";
import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { ImeSafeForm } from "@/components/console/ime-safe-form";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog, DialogActions, DialogContent, DialogProblem, DialogTrigger } from "@/components/ui/dialog";
import { FieldError, Input, Label, NativeSelect } from "@/components/ui/input";
import { DisabledReason } from "@/components/ui/tooltip";
import { createCheckoutLinkAction } from "../actions";

export type PlanGroup = { productId: string; productName: string; plans: { id: string; label: string }[] };

type Problem = { field: "plan" | "successUrl" | null; message: string };
const EMPTY = { planId: "", successUrl: "", phone: false, address: false };

/** 「リンクを作成」: a plan, an optional success URL and the extra details to ask for; the service decides what is valid. */
export function CreateLinkDialog({ groups, disabledReason }: { groups: PlanGroup[]; disabledReason: string | null }) {
  const t = useTranslations("checkoutLinks.create");
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
    if (!values.planId) return setProblem({ field: "plan", message: t("planRequired") });
    startTransition(async () => {
      const result = await createCheckoutLinkAction({ planId: values.planId, successUrl: values.successUrl, collect: { phone: values.phone, address: values.address } }).catch(() => null);
      if (!result) return setProblem({ field: null, message: tErrors("generic") });
      if (!result.ok) {
        // The service names the field it refused; the page words it next to that field.
        if (result.field === "successUrl") return setProblem({ field: "successUrl", message: t("successUrlInvalid") });
        if (result.field === "plan" || result.field === "planId") return setProblem({ field: "plan", message: t("planGone") });
        return setProblem({ field: null, message: result.message });
      }
      onOpenChange(false);
      toast.success(t("created"));
    });
  }

  const describedBy = (field: "plan" | "successUrl", hint?: string) => [hint, problem?.field === field ? `${id}-${field}-error` : null].filter(Boolean).join(" ") || undefined;

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DisabledReason reason={disabledReason}>
        <DialogTrigger asChild>
          <Button disabled={disabledReason !== null}>
            <Plus className="h-4 w-4" aria-hidden />
            {t("button")}
          </Button>
        </DialogTrigger>
      </DisabledReason>
      <DialogContent title={t("title")} description={t("description")} closeLabel={tCommon("close")}>
        <ImeSafeForm onSubmit={onSubmit} className="flex flex-col gap-4" aria-busy={pending}>
          <div className="flex flex-col gap-1">
            <Label htmlFor={`${id}-plan`}>{t("plan")}</Label>
            <NativeSelect
              id={`${id}-plan`}
              value={values.planId}
              onChange={(e) => setValues({ ...values, planId: e.target.value })}
              aria-invalid={problem?.field === "plan" || undefined}
              aria-describedby={describedBy("plan")}
            >
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
          <div className="flex flex-col gap-1">
            <Label htmlFor={`${id}-successUrl`}>{t("successUrl")}</Label>
            <Input
              id={`${id}-successUrl`}
              type="url"
              inputMode="url"
              placeholder="https://example.jp/thanks"
              maxLength={2000}
              value={values.successUrl}
              onChange={(e) => setValues({ ...values, successUrl: e.target.value })}
              aria-invalid={problem?.field === "successUrl" || undefined}
              aria-describedby={describedBy("successUrl", `${id}-successUrl-hint`)}
            />
            <p id={`${id}-successUrl-hint`} className="text-xs text-slate-600">
              {t("successUrlHint")}
            </p>
            <FieldError id={`${id}-successUrl-error`}>{problem?.field === "successUrl" ? problem.message : null}</FieldError>
          </div>
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-1 text-sm font-medium text-slate-800">{t("collect")}</legend>
            <div className="flex items-center gap-2">
              <Checkbox id={`${id}-phone`} checked={values.phone} onCheckedChange={(v) => setValues({ ...values, phone: v === true })} />
              <Label htmlFor={`${id}-phone`} className="font-normal">
                {t("collectPhone")}
              </Label>
            </div>
            <div className="flex items-center gap-2">
              <Checkbox id={`${id}-address`} checked={values.address} onCheckedChange={(v) => setValues({ ...values, address: v === true })} />
              <Label htmlFor={`${id}-address`} className="font-normal">
                {t("collectAddress")}
              </Label>
            </div>
          </fieldset>
          <DialogProblem>{problem?.field === null ? problem.message : null}</DialogProblem>
          <DialogActions cancelLabel={tCommon("cancel")} label={pending ? t("pending") : t("submit")} pending={pending} />
        </ImeSafeForm>
      </DialogContent>
    </Dialog>
  );
}
