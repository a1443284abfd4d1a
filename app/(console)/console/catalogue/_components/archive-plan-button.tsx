"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { DisabledReason } from "@/components/ui/tooltip";
import { archivePlanAction } from "../actions";

/** 「提供を終了」 after a confirmation: there is no way back, so the dialog says what stays and what stops. */
export function ArchivePlanButton({ planId, plan, disabledReason }: { planId: string; plan: string; disabledReason: string | null }) {
  const t = useTranslations("catalogue.plan");
  const tCommon = useTranslations("common");
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const button = (
    <Button variant="secondary" size="sm" disabled={disabledReason !== null || pending} aria-label={disabledReason ? undefined : t("archiveLabel", { plan })}>
      {t("archive")}
    </Button>
  );
  if (disabledReason) return <DisabledReason reason={disabledReason}>{button}</DisabledReason>;

  function archive() {
    startTransition(async () => {
      const result = await archivePlanAction({ planId }).catch(() => null);
      if (!result || !result.ok) return setProblem(result?.message ?? tErrors("generic"));
      setOpen(false);
      toast.success(t("archived_toast", { plan }));
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
      <DialogContent title={t("archiveTitle")} description={t("archiveDescription", { plan })} closeLabel={tCommon("close")}>
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
          <Button variant="danger" disabled={pending} onClick={archive}>
            {t("archiveConfirm")}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
