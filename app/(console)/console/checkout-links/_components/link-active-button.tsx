"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { DisabledReason } from "@/components/ui/tooltip";
import { setCheckoutLinkActiveAction } from "../actions";

/**
 * Turns a link off after a confirmation (customers holding it will find its page gone) or on again at once. A refusal
 * (a retired plan) is said where the staff member is looking.
 */
export function LinkActiveButton({ linkId, active, product, disabledReason }: { linkId: string; active: boolean; product: string; disabledReason: string | null }) {
  const t = useTranslations("checkoutLinks.list");
  const tCommon = useTranslations("common");
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const label = active ? t("deactivate") : t("activate");
  const button = (
    <Button
      variant="secondary"
      size="sm"
      disabled={disabledReason !== null || pending}
      aria-label={disabledReason ? undefined : `${label}: ${product}`}
      // Turning on asks nothing; turning off opens the dialog (the trigger).
      onClick={active ? undefined : () => apply(true)}
    >
      {label}
    </Button>
  );
  if (disabledReason) return <DisabledReason reason={disabledReason}>{button}</DisabledReason>;

  function apply(next: boolean) {
    startTransition(async () => {
      const result = await setCheckoutLinkActiveAction({ linkId, active: next }).catch(() => null);
      const message = !result ? tErrors("generic") : !result.ok ? result.message : null;
      if (message) {
        if (open) setProblem(message);
        else toast.error(message);
        return;
      }
      setOpen(false);
      toast.success(next ? t("activated", { product }) : t("deactivated", { product }));
      router.refresh();
    });
  }

  if (!active) return button;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (pending) return;
        setOpen(next);
        setProblem(null);
      }}
    >
      <DialogTrigger asChild>{button}</DialogTrigger>
      <DialogContent title={t("deactivateTitle")} description={t("deactivateDescription", { product })} closeLabel={tCommon("close")}>
        {problem ? (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
            {problem}
          </p>
        ) : null}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary" disabled={pending}>
              {tCommon("cancel")}
            </Button>
          </DialogClose>
          <Button variant="danger" disabled={pending} onClick={() => apply(false)}>
            {t("deactivateConfirm")}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
