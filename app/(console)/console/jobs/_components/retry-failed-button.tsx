"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { retryFailedRowsAction } from "../actions";

/** "失敗した行を再実行": confirms what will run again, starts the new job, and offers a link to it. */
export function RetryFailedButton({ jobId, failed, what, disabled }: { jobId: string; failed: number; what: string; disabled: boolean }) {
  const t = useTranslations("jobs.retryFailed");
  const tCommon = useTranslations("common");
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const run = () =>
    startTransition(async () => {
      const result = await retryFailedRowsAction(jobId);
      if (!result.ok) {
        toast.error(result.message);
        return;
      }
      setOpen(false);
      toast.success(t("started", { count: result.data.total }), { action: { label: t("open"), onClick: () => router.push(`/console/jobs/${result.data.id}`) } });
      router.push(`/console/jobs/${result.data.id}`);
    });
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="secondary" disabled={disabled}>
          {t("button")}
        </Button>
      </DialogTrigger>
      <DialogContent title={t("confirmTitle")} description={t("confirmBody", { count: failed, what })} closeLabel={tCommon("close")}>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary">{tCommon("cancel")}</Button>
          </DialogClose>
          <Button onClick={run} disabled={pending}>
            {pending ? t("pending") : t("confirm")}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
