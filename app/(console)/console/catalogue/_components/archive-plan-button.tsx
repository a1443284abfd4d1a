"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { ConfirmActionDialog } from "@/components/console/confirm-action-dialog";
import { Button } from "@/components/ui/button";
import { DisabledReason } from "@/components/ui/tooltip";
import { archivePlanAction } from "../actions";

/** 「提供を終了」 after a confirmation: there is no way back, so the dialog says what stays and what stops. */
export function ArchivePlanButton({ planId, plan, disabledReason }: { planId: string; plan: string; disabledReason: string | null }) {
  const t = useTranslations("catalogue.plan");
  const router = useRouter();
  const button = (
    <Button variant="secondary" size="sm" disabled={disabledReason !== null} aria-label={disabledReason ? undefined : t("archiveLabel", { plan })}>
      {t("archive")}
    </Button>
  );
  if (disabledReason) return <DisabledReason reason={disabledReason}>{button}</DisabledReason>;
  return (
    <ConfirmActionDialog
      trigger={button}
      title={t("archiveTitle")}
      description={t("archiveDescription", { plan })}
      confirmLabel={t("archiveConfirm")}
      variant="danger"
      run={() => archivePlanAction({ planId })}
      onDone={() => {
        toast.success(t("archived_toast", { plan }));
        router.refresh();
      }}
    />
  );
}
