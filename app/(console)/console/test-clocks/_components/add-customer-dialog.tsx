"use client";

import { UserPlus } from "lucide-react";
import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { ImeSafeForm } from "@/components/console/ime-safe-form";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions, DialogContent, DialogProblem, DialogTrigger } from "@/components/ui/dialog";
import { FieldError, Input, Label } from "@/components/ui/input";
import { DisabledReason } from "@/components/ui/tooltip";
import { SAVABLE_TEST_CARDS, type SavableTestCard } from "@/lib/gateways/sandbox-cards";
import { createClockCustomerAction } from "../actions";

type Field = "name" | "email";
type Problem = { field: Field | null; message: string };
const EMPTY = { name: "", email: "", card: "succeed" as SavableTestCard };

/** 「顧客を追加」: a customer living on this clock, with a sandbox test card (one that declines, to try dunning). */
export function AddCustomerDialog({ testClockId, disabledReason }: { testClockId: string; disabledReason: string | null }) {
  const t = useTranslations("testClocks.customer");
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
    if (!values.name.trim()) return setProblem({ field: "name", message: t("nameRequired") });
    if (!values.email.trim()) return setProblem({ field: "email", message: t("emailRequired") });
    startTransition(async () => {
      const result = await createClockCustomerAction({ testClockId, ...values }).catch(() => null);
      if (!result) return setProblem({ field: null, message: tErrors("generic") });
      if (!result.ok) {
        if (result.field === "email") return setProblem({ field: "email", message: t("emailInvalid") });
        if (result.field === "name") return setProblem({ field: "name", message: t("nameInvalid") });
        return setProblem({ field: null, message: result.message });
      }
      onOpenChange(false);
      toast.success(t("created", { name: values.name.trim() }));
    });
  }

  const aria = (field: Field) => ({ "aria-invalid": problem?.field === field || undefined, "aria-describedby": problem?.field === field ? `${id}-${field}-error` : undefined });

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DisabledReason reason={disabledReason}>
        <DialogTrigger asChild>
          <Button variant="secondary" disabled={disabledReason !== null}>
            <UserPlus className="h-4 w-4" aria-hidden />
            {t("button")}
          </Button>
        </DialogTrigger>
      </DisabledReason>
      <DialogContent title={t("title")} description={t("description")} closeLabel={tCommon("close")}>
        <ImeSafeForm onSubmit={onSubmit} className="flex flex-col gap-4" aria-busy={pending}>
          <div className="flex flex-col gap-1">
            <Label htmlFor={`${id}-name`}>{t("name")}</Label>
            <Input id={`${id}-name`} maxLength={200} autoComplete="off" value={values.name} onChange={(e) => setValues({ ...values, name: e.target.value })} {...aria("name")} />
            <FieldError id={`${id}-name-error`}>{problem?.field === "name" ? problem.message : null}</FieldError>
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor={`${id}-email`}>{t("email")}</Label>
            <Input id={`${id}-email`} type="email" inputMode="email" autoComplete="off" maxLength={254} value={values.email} onChange={(e) => setValues({ ...values, email: e.target.value })} {...aria("email")} />
            <FieldError id={`${id}-email-error`}>{problem?.field === "email" ? problem.message : null}</FieldError>
          </div>
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-1 text-sm font-medium text-slate-800">{t("card")}</legend>
            {SAVABLE_TEST_CARDS.map((card) => (
              <div key={card} className="flex items-start gap-2">
                <input
                  type="radio"
                  id={`${id}-card-${card}`}
                  name="card"
                  value={card}
                  checked={values.card === card}
                  onChange={() => setValues({ ...values, card })}
                  className="mt-1 h-4 w-4 accent-sky-700"
                  aria-describedby={`${id}-card-${card}-hint`}
                />
                <div>
                  <Label htmlFor={`${id}-card-${card}`} className="font-normal">
                    {t(`cards.${card}.label`)}
                  </Label>
                  <p id={`${id}-card-${card}-hint`} className="text-xs text-slate-600">
                    {t(`cards.${card}.hint`)}
                  </p>
                </div>
              </div>
            ))}
          </fieldset>
          <DialogProblem>{problem?.field === null ? problem.message : null}</DialogProblem>
          <DialogActions cancelLabel={tCommon("cancel")} label={pending ? t("pending") : t("submit")} pending={pending} />
        </ImeSafeForm>
      </DialogContent>
    </Dialog>
  );
}
