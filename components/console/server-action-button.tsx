"use client";

import type { LucideIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button, type ButtonProps } from "@/components/ui/button";
import { DisabledReason } from "@/components/ui/tooltip";
import type { ActionResult } from "@/lib/console/action";

/**
 * A button that runs one server action at once (no dialog): pending while it runs, the refusal or the result as a
 * toast, the page rendered again after. Disabled with the reason when the role or the state does not allow it.
 */
export function ServerActionButton({
  run,
  label,
  pendingLabel,
  done,
  icon: Icon,
  disabledReason,
  variant,
  testId,
}: {
  run: () => Promise<ActionResult<unknown>>;
  label: string;
  pendingLabel: string;
  done: string;
  icon: LucideIcon;
  disabledReason: string | null;
  variant?: ButtonProps["variant"];
  testId?: string;
}) {
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const onClick = () =>
    startTransition(async () => {
      const result = await run().catch(() => null);
      if (!result) return void toast.error(tErrors("generic"));
      if (!result.ok) return void toast.error(result.message);
      toast.success(done);
      router.refresh();
    });
  return (
    <DisabledReason reason={disabledReason}>
      <Button variant={variant} onClick={onClick} disabled={disabledReason !== null || pending} aria-busy={pending} data-testid={testId}>
        <Icon className="h-4 w-4" aria-hidden />
        {pending ? pendingLabel : label}
      </Button>
    </DisabledReason>
  );
}
