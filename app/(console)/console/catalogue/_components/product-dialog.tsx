"use client";

import { Pencil, Plus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { ImeSafeForm } from "@/components/console/ime-safe-form";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions, DialogContent, DialogProblem, DialogTrigger } from "@/components/ui/dialog";
import { FieldError, Input, Label, Textarea } from "@/components/ui/input";
import { DisabledReason } from "@/components/ui/tooltip";
import { createProductAction, updateProductAction } from "../actions";

type Product = { id: string; name: string; description: string | null; active: boolean };
type Problem = { field: "name" | "description" | null; message: string };

/**
 * 「商品を作成」 (without a product) or 「編集」 (with one): the name and description, and for an existing product
 * whether it is still offered. The service decides what is valid; its refusal is said beside the field it names.
 */
export function ProductDialog({ product, disabledReason }: { product?: Product; disabledReason: string | null }) {
  const t = useTranslations("catalogue.product");
  const tCommon = useTranslations("common");
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const id = useId();
  const initial = { name: product?.name ?? "", description: product?.description ?? "", active: product?.active ?? true };
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState(initial);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [pending, startTransition] = useTransition();

  function onOpenChange(next: boolean) {
    if (pending) return;
    setOpen(next);
    setValues(initial);
    setProblem(null);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!values.name.trim()) return setProblem({ field: "name", message: t("nameRequired") });
    startTransition(async () => {
      const result = await (product ? updateProductAction({ productId: product.id, ...values }) : createProductAction(values)).catch(() => null);
      if (!result) return setProblem({ field: null, message: tErrors("generic") });
      if (!result.ok) return setProblem({ field: result.field === "name" || result.field === "description" ? result.field : null, message: result.message });
      setOpen(false);
      toast.success(product ? t("saved", { product: values.name.trim() }) : t("created", { product: values.name.trim() }));
      router.refresh();
    });
  }

  const describedBy = (field: "name" | "description", hint?: string) => [hint, problem?.field === field ? `${id}-${field}-error` : null].filter(Boolean).join(" ") || undefined;

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DisabledReason reason={disabledReason}>
        <DialogTrigger asChild>
          {product ? (
            <Button variant="secondary" size="sm" disabled={disabledReason !== null} aria-label={disabledReason ? undefined : t("editLabel", { product: product.name })}>
              <Pencil className="h-4 w-4" aria-hidden />
              {t("edit")}
            </Button>
          ) : (
            <Button disabled={disabledReason !== null}>
              <Plus className="h-4 w-4" aria-hidden />
              {t("create")}
            </Button>
          )}
        </DialogTrigger>
      </DisabledReason>
      <DialogContent title={product ? t("editTitle") : t("createTitle")} description={product ? t("editDescription") : t("createDescription")} closeLabel={tCommon("close")}>
        <ImeSafeForm onSubmit={onSubmit} className="flex flex-col gap-4" aria-busy={pending} noValidate>
          <div className="flex flex-col gap-1">
            <Label htmlFor={`${id}-name`}>{t("name")}</Label>
            <Input
              id={`${id}-name`}
              value={values.name}
              maxLength={200}
              onChange={(e) => setValues({ ...values, name: e.target.value })}
              aria-invalid={problem?.field === "name" || undefined}
              aria-describedby={describedBy("name")}
            />
            <FieldError id={`${id}-name-error`}>{problem?.field === "name" ? problem.message : null}</FieldError>
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor={`${id}-description`}>{t("description")}</Label>
            <Textarea
              id={`${id}-description`}
              rows={3}
              maxLength={2000}
              value={values.description}
              onChange={(e) => setValues({ ...values, description: e.target.value })}
              aria-invalid={problem?.field === "description" || undefined}
              aria-describedby={describedBy("description")}
            />
            <FieldError id={`${id}-description-error`}>{problem?.field === "description" ? problem.message : null}</FieldError>
          </div>
          {product ? (
            <fieldset className="flex flex-col gap-1">
              <legend className="mb-1 text-sm font-medium text-slate-800">{t("status")}</legend>
              <p id={`${id}-active-hint`} className="text-xs text-slate-600">
                {t("activeHint")}
              </p>
              <div className="flex flex-wrap gap-x-4">
                {([true, false] as const).map((active) => (
                  <label key={String(active)} className="flex items-center gap-2 text-sm">
                    <input
                      type="radio"
                      name={`${id}-active`}
                      checked={values.active === active}
                      onChange={() => setValues({ ...values, active })}
                      aria-describedby={`${id}-active-hint`}
                      className="h-4 w-4 accent-sky-700"
                    />
                    {active ? t("active") : t("archived")}
                  </label>
                ))}
              </div>
            </fieldset>
          ) : null}
          <DialogProblem>{problem?.field === null ? problem.message : null}</DialogProblem>
          <DialogActions cancelLabel={tCommon("cancel")} label={pending ? t("pending") : product ? t("submitEdit") : t("submitCreate")} pending={pending} />
        </ImeSafeForm>
      </DialogContent>
    </Dialog>
  );
}
