"use client";

import { type FormEvent, type ReactNode, startTransition, useActionState, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogFooter } from "@/components/ui/dialog";
import type { MypageFormState } from "@/lib/mypage/action";

/**
 * A second step before an action that is hard to undo (cancel, pause): it restates what will happen. The text may
 * follow a choice in the form (`byField`: the value of that field picks the sentence).
 */
export type MypageConfirm = {
  title: string;
  body: string;
  byField?: { name: string; bodies: Record<string, string> };
  confirmLabel: string;
  backLabel: string;
};

type Props = {
  action: (state: MypageFormState, form: FormData) => Promise<MypageFormState>;
  submitLabel: string;
  children?: ReactNode;
  variant?: "primary" | "secondary" | "danger";
  testId?: string;
  /** Once done, show only the message (a sign-in link sent, a contract cancelled). */
  hideWhenDone?: boolean;
  confirm?: MypageConfirm;
};

/**
 * A mypage form posting to a server action: the button is disabled while it runs (a double press sends once), and
 * the result is announced in the customer's language; what was typed stays. With `confirm`, the form's button opens a dialog that says what
 * will happen, and only its confirm button sends.
 */
export function MypageForm({ action, submitLabel, children, variant = "primary", testId, hideWhenDone, confirm }: Props) {
  // The toast is raised as the result arrives: a done action may take its own form off the page (a resumed contract
  // has no resume button), and the layout's toaster outlives it.
  const [state, formAction, pending] = useActionState(async (previous: MypageFormState, form: FormData) => {
    const result = await action(previous, form);
    if (result.status === "done") toast.success(result.message);
    return result;
  }, { status: "idle" } as MypageFormState);
  const [confirming, setConfirming] = useState<FormData | null>(null);

  // Sent from here rather than by the form's own action: React resets a form after its action runs, and a customer
  // refused for one field (a wrong password, an unfinished address) must not have to type everything again.
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    // The form's own checks (a reason chosen) run before it is sent, as they would, and before any dialog opens.
    if (confirm) setConfirming(form);
    else startTransition(() => formAction(form));
  };
  const send = () => {
    const form = confirming!;
    setConfirming(null);
    startTransition(() => formAction(form));
  };
  const confirmBody = confirm && confirming ? (confirm.byField?.bodies[String(confirming.get(confirm.byField.name) ?? "")] ?? confirm.body) : null;

  const message =
    state.status === "idle" ? null : (
      <p role={state.status === "error" ? "alert" : "status"} className={state.status === "error" ? "text-sm text-red-700" : "text-sm font-medium text-emerald-800"} data-testid={testId ? `${testId}-result` : undefined}>
        {state.message}
      </p>
    );
  if (hideWhenDone && state.status === "done") return message;
  return (
    <form action={formAction} onSubmit={onSubmit} className="flex flex-col gap-3" data-testid={testId}>
      {children}
      {message}
      <div>
        <Button type="submit" variant={variant} disabled={pending} aria-disabled={pending}>
          {submitLabel}
        </Button>
      </div>
      {confirm ? (
        <Dialog open={confirming !== null} onOpenChange={(open) => !open && setConfirming(null)}>
          <DialogContent title={confirm.title} closeLabel={confirm.backLabel} data-testid={testId ? `${testId}-confirm` : undefined}>
            <p className="text-sm">{confirmBody}</p>
            <DialogFooter>
              <DialogClose asChild>
                <Button type="button" variant="secondary">
                  {confirm.backLabel}
                </Button>
              </DialogClose>
              <Button type="button" variant={variant} onClick={send}>
                {confirm.confirmLabel}
              </Button>
            </DialogFooter>
          </DialogContent>
        </Dialog>
      ) : null}
    </form>
  );
}
