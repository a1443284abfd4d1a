"use client";

import { type ReactNode, useActionState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import type { MypageFormState } from "@/lib/mypage/action";

type Props = {
  action: (state: MypageFormState, form: FormData) => Promise<MypageFormState>;
  submitLabel: string;
  children?: ReactNode;
  variant?: "primary" | "secondary" | "danger";
  testId?: string;
  /** Once done, show only the message (a sign-in link sent, a contract cancelled). */
  hideWhenDone?: boolean;
};

/**
 * A mypage form posting to a server action: the button is disabled while it runs (a double press sends once), and
 * the result is announced in the customer's language.
 */
export function MypageForm({ action, submitLabel, children, variant = "primary", testId, hideWhenDone }: Props) {
  // The toast is raised as the result arrives: a done action may take its own form off the page (a resumed contract
  // has no resume button), and the layout's toaster outlives it.
  const [state, formAction, pending] = useActionState(async (previous: MypageFormState, form: FormData) => {
    const result = await action(previous, form);
    if (result.status === "done") toast.success(result.message);
    return result;
  }, { status: "idle" } as MypageFormState);
  const message =
    state.status === "idle" ? null : (
      <p role={state.status === "error" ? "alert" : "status"} className={state.status === "error" ? "text-sm text-red-700" : "text-sm font-medium text-emerald-800"} data-testid={testId ? `${testId}-result` : undefined}>
        {state.message}
      </p>
    );
  if (hideWhenDone && state.status === "done") return message;
  return (
    <form action={formAction} className="flex flex-col gap-3" data-testid={testId}>
      {children}
      {message}
      <div>
        <Button type="submit" variant={variant} disabled={pending} aria-disabled={pending}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
