"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { ConfirmActionDialog } from "@/components/console/confirm-action-dialog";
import { Button } from "@/components/ui/button";
import { retryFailedRowsAction } from "../actions";

/** "失敗した行を再実行": confirms what will run again, starts the new job, and offers a link to it. */
export function RetryFailedButton({ jobId, failed, what, disabled }: { jobId: string; failed: number; what: string; disabled: boolean }) {
  const t = useTranslations("jobs.retryFailed");
  const router = useRouter();
  return (
    <ConfirmActionDialog
      trigger={
        <Button variant="secondary" disabled={disabled}>
          {t("button")}
        </Button>
      }
      title={t("confirmTitle")}
      description={t("confirmBody", { count: failed, what })}
      confirmLabel={t("confirm")}
      pendingLabel={t("pending")}
      run={() => retryFailedRowsAction(jobId)}
      onDone={(job) => {
        toast.success(t("started", { count: job.total }), { action: { label: t("open"), onClick: () => router.push(`/console/jobs/${job.id}`) } });
        router.push(`/console/jobs/${job.id}`);
      }}
    />
  );
}
