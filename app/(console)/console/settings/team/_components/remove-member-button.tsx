"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { ConfirmActionDialog } from "@/components/console/confirm-action-dialog";
import { Button } from "@/components/ui/button";
import { DisabledReason } from "@/components/ui/tooltip";
import { removeStaffAction } from "../actions";

/** Removes a member after a confirmation: their login stops working at once. Removing oneself signs oneself out. */
export function RemoveMemberButton({ staffUserId, name, isYou, disabledReason }: { staffUserId: string; name: string; isYou: boolean; disabledReason: string | null }) {
  const t = useTranslations("team.remove");
  const router = useRouter();
  const button = (
    <Button variant="secondary" size="sm" disabled={disabledReason !== null} aria-label={disabledReason ? undefined : t("label", { name })}>
      {t("button")}
    </Button>
  );
  if (disabledReason) return <DisabledReason reason={disabledReason}>{button}</DisabledReason>;
  return (
    <ConfirmActionDialog
      trigger={button}
      title={t("title", { name })}
      description={isYou ? t("descriptionSelf") : t("description", { name })}
      confirmLabel={t("confirm")}
      pendingLabel={t("pending")}
      variant="danger"
      run={() => removeStaffAction({ staffUserId })}
      onDone={() => {
        toast.success(t("done", { name }));
        router.refresh();
      }}
    />
  );
}
