"use client";

import { useTranslations } from "next-intl";
import { type FormEvent, type ReactNode, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { ImeSafeForm } from "@/components/console/ime-safe-form";
import { Button, type ButtonProps } from "@/components/ui/button";
import { Dialog, DialogActions, DialogContent, DialogProblem, DialogTrigger } from "@/components/ui/dialog";
import { FieldError } from "@/components/ui/input";
import { DisabledReason } from "@/components/ui/tooltip";

/** What a dialog's submit comes to: a result to toast (the dialog closes), or a problem to show in it. */
export type DialogOutcome = { done: string; tone?: "success" | "error" } | { problem: string; field?: string };

/** The problem of the field that has one, for aria-invalid / aria-describedby and its FieldError. */
export type FieldProblem = { field: string | null; message: string | null; id: string };

type Props = {
  /** The button that opens the dialog. */
  trigger: ReactNode;
  triggerVariant?: ButtonProps["variant"];
  triggerLabel?: string;
  /** Why the action is not available (the button is disabled and says why), or null. */
  disabledReason: string | null;
  title: string;
  description?: ReactNode;
  submitLabel: string;
  submitVariant?: ButtonProps["variant"];
  /** Runs the action with the form's values; the dialog shows its pending state meanwhile. */
  submit(form: FormData): Promise<DialogOutcome>;
  /** The fields, told which of them has a problem. */
  children(problem: FieldProblem): ReactNode;
  /** Told when the dialog opens (e.g. to start a fresh request key or load a preview). */
  onOpenChange?(open: boolean): void;
  /** Keeps submit disabled (e.g. while a preview loads). */
  submitDisabled?: boolean;
  /** Fields that show their own problem (FieldProblemText); a problem of any other field is shown for the form. */
  fields?: readonly string[];
  testId?: string;
};

/** aria attributes of a field: its hint, and its problem when it has one. */
export function fieldAria(problem: FieldProblem, name: string, hintId?: string) {
  const mine = problem.field === name;
  const describedBy = [hintId, mine ? problem.id : null].filter(Boolean).join(" ");
  return { "aria-invalid": mine ? true : undefined, "aria-describedby": describedBy || undefined };
}

/** A field's problem, announced (role=alert). */
export function FieldProblemText({ problem, name }: { problem: FieldProblem; name: string }) {
  return <FieldError id={problem.id}>{problem.field === name ? problem.message : null}</FieldError>;
}

/**
 * One action of the contract: a button (disabled with its reason), a dialog that says what will happen, a form whose
 * submit shows a pending state and keeps the dialog open with the problem announced if it is refused, and a toast
 * with the result once done.
 */
export function ActionDialog({
  trigger,
  triggerVariant = "secondary",
  triggerLabel,
  disabledReason,
  title,
  description,
  submitLabel,
  submitVariant = "primary",
  submit,
  children,
  onOpenChange,
  submitDisabled,
  fields = [],
  testId,
}: Props) {
  const t = useTranslations("subscription.dialog");
  const tCommon = useTranslations("common");
  const tErrors = useTranslations("errors");
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const [problem, setProblem] = useState<{ message: string; field: string | null } | null>(null);
  const problemId = useId();

  function change(next: boolean) {
    if (pending) return;
    setOpen(next);
    setProblem(null);
    onOpenChange?.(next);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      // A request that never got its answer (network, server restart) is a problem to show, not a crashed page.
      const outcome = await submit(form).catch((): DialogOutcome => ({ problem: tErrors("generic") }));
      if ("problem" in outcome) {
        setProblem({ message: outcome.problem, field: outcome.field && fields.includes(outcome.field) ? outcome.field : null });
        return;
      }
      setOpen(false);
      onOpenChange?.(false);
      if (outcome.tone === "error") toast.error(outcome.done);
      else toast.success(outcome.done);
    });
  }

  const button = (
    <Button variant={triggerVariant} size="sm" disabled={disabledReason !== null} aria-label={triggerLabel} data-testid={testId}>
      {trigger}
    </Button>
  );
  if (disabledReason) return <DisabledReason reason={disabledReason}>{button}</DisabledReason>;
  return (
    <Dialog open={open} onOpenChange={change}>
      <DialogTrigger asChild>{button}</DialogTrigger>
      <DialogContent title={title} description={description} closeLabel={tCommon("close")}>
        <ImeSafeForm onSubmit={onSubmit} className="flex flex-col gap-4" aria-busy={pending}>
          {children({ field: problem?.field ?? null, message: problem?.message ?? null, id: problemId })}
          <DialogProblem id={problemId}>{problem && !problem.field ? problem.message : null}</DialogProblem>
          <DialogActions cancelLabel={tCommon("cancel")} label={pending ? t("pending") : submitLabel} pending={pending} variant={submitVariant} disabled={submitDisabled} />
        </ImeSafeForm>
      </DialogContent>
    </Dialog>
  );
}
