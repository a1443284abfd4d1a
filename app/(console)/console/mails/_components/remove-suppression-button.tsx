"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { DisabledReason } from "@/components/ui/tooltip";
import { removeOutboxSuppression } from "../actions";

/** Takes an address off the suppression list after a confirmation; a refusal stays in the dialog. */
export function RemoveSuppressionButton({ suppressionId, address, disabledReason }: { suppressionId: string; address: string; disabledReason: string | null }) {
  const t = useTranslations("outbox.suppressions");
  const tCommon = useTranslations("common");
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const button = (
    <Button variant="secondary" size="sm" disabled={disabledReason !== null} aria-label={disabledReason ? undefined : t("removeLabel", { address })}>
      {t("remove")}
    </Button>
  );
  if (disabledReason) return <DisabledReason reason={disabledReason}>{button}</DisabledReason>;

  function confirm() {
    startTransition(async () => {
      const result = await removeOutboxSuppression({ suppressionId }).catch(() => null);
      if (!result) return setProblem(tErrors("generic"));
      if (!result.ok) return setProblem(result.message);
      setOpen(false);
      toast.success(t("removed", { address: result.data.address }));
      router.refresh();
    });
  }

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
      <DialogContent title={t("removeTitle")} description={t("removeDescription", { address })} closeLabel={tCommon("close")}>
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
          <Button variant="danger" onClick={confirm} disabled={pending}>
            {t("removeSubmit")}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
