"use client";

import { useTranslations } from "next-intl";
import { type ReactElement, type ReactNode, useState, useTransition } from "react";
import type { ButtonProps } from "@/components/ui/button";
import { Dialog, DialogActions, DialogContent, DialogProblem, DialogTrigger } from "@/components/ui/dialog";
import type { ActionResult } from "@/lib/console/action";

type Props<T> = {
  /** The button that opens the dialog. */
  trigger: ReactElement;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  pendingLabel?: string;
  variant?: ButtonProps["variant"];
  /** The server action, called on confirm. */
  run: () => Promise<ActionResult<T>>;
  /** After success, once the dialog has closed: a toast, a refresh, a navigation. */
  onDone: (data: T) => void;
  /** What the action needs chosen first (a role), shown above the buttons. */
  children?: ReactNode;
  /** Told when the dialog opens or closes, e.g. to put a choice back. */
  onOpenChange?: (open: boolean) => void;
};

/**
 * A console action that asks first: the dialog says what will happen, runs the action on confirm (the buttons wait
 * while it runs; the dialog cannot be closed mid-way), and keeps a refusal in the dialog, in the staff member's
 * language, for them to read.
 */
export function ConfirmActionDialog<T>({ trigger, title, description, confirmLabel, pendingLabel, variant = "primary", run, onDone, children, onOpenChange }: Props<T>) {
  const tCommon = useTranslations("common");
  const tErrors = useTranslations("errors");
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function confirm() {
    startTransition(async () => {
      const result = await run().catch(() => null);
      if (!result) return setProblem(tErrors("generic"));
      if (!result.ok) return setProblem(result.message);
      setOpen(false);
      onDone(result.data);
    });
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (pending) return;
        setOpen(next);
        setProblem(null);
        onOpenChange?.(next);
      }}
    >
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent title={title} description={description} closeLabel={tCommon("close")}>
        {children ? <div className="mb-4">{children}</div> : null}
        <DialogProblem>{problem}</DialogProblem>
        <DialogActions cancelLabel={tCommon("cancel")} label={pending && pendingLabel ? pendingLabel : confirmLabel} pending={pending} onConfirm={confirm} variant={variant} />
      </DialogContent>
    </Dialog>
  );
}
