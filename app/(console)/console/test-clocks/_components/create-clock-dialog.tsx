"use client";

import { Plus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { ImeSafeForm } from "@/components/console/ime-safe-form";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions, DialogContent, DialogProblem, DialogTrigger } from "@/components/ui/dialog";
import { FieldError, Input, Label } from "@/components/ui/input";
import { DisabledReason } from "@/components/ui/tooltip";
import { createTestClockAction } from "../actions";

type Problem = { field: "name" | "frozenTime" | null; message: string };

/** 「新しいテストクロック」: a name and the time it starts frozen at (merchant time); then its page, to put customers on it. */
export function CreateClockDialog({ disabledReason, defaultStartLocal, timeZone }: { disabledReason: string | null; defaultStartLocal: string; timeZone: string }) {
  const t = useTranslations("testClocks.create");
  const tCommon = useTranslations("common");
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [start, setStart] = useState(defaultStartLocal);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [pending, startTransition] = useTransition();
  const id = useId();

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      setName("");
      setStart(defaultStartLocal);
      setProblem(null);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!start) return setProblem({ field: "frozenTime", message: t("startRequired") });
    startTransition(async () => {
      const result = await createTestClockAction({ name, frozenTime: start }).catch(() => null);
      if (!result) return setProblem({ field: null, message: tErrors("generic") });
      if (!result.ok) {
        if (result.field === "frozenTime") return setProblem({ field: "frozenTime", message: t("startInvalid") });
        if (result.field === "name") return setProblem({ field: "name", message: t("nameTooLong") });
        return setProblem({ field: null, message: result.message });
      }
      onOpenChange(false);
      toast.success(t("created"));
      router.push(`/console/test-clocks/${result.data.id}`);
    });
  }

  const describedBy = (field: "name" | "frozenTime", hint?: string) => [hint, problem?.field === field ? `${id}-${field}-error` : null].filter(Boolean).join(" ") || undefined;

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
            <Label htmlFor={`${id}-name`}>{t("name")}</Label>
            <Input
              id={`${id}-name`}
              maxLength={200}
              placeholder={t("namePlaceholder")}
              value={name}
              onChange={(e) => setName(e.target.value)}
              aria-invalid={problem?.field === "name" || undefined}
              aria-describedby={describedBy("name")}
            />
            <FieldError id={`${id}-name-error`}>{problem?.field === "name" ? problem.message : null}</FieldError>
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor={`${id}-frozenTime`}>{t("start")}</Label>
            <Input
              id={`${id}-frozenTime`}
              type="datetime-local"
              required
              value={start}
              onChange={(e) => setStart(e.target.value)}
              aria-invalid={problem?.field === "frozenTime" || undefined}
              aria-describedby={describedBy("frozenTime", `${id}-frozenTime-hint`)}
            />
            <p id={`${id}-frozenTime-hint`} className="text-xs text-slate-600">
              {t("startHint", { timeZone })}
            </p>
            <FieldError id={`${id}-frozenTime-error`}>{problem?.field === "frozenTime" ? problem.message : null}</FieldError>
          </div>
          <DialogProblem>{problem?.field === null ? problem.message : null}</DialogProblem>
          <DialogActions cancelLabel={tCommon("cancel")} label={pending ? t("pending") : t("submit")} pending={pending} />
        </ImeSafeForm>
      </DialogContent>
    </Dialog>
  );
}
