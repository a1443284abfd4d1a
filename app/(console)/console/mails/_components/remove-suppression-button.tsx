"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { ConfirmActionDialog } from "@/components/console/confirm-action-dialog";
import { Button } from "@/components/ui/button";
import { DisabledReason } from "@/components/ui/tooltip";
import { removeOutboxSuppression } from "../actions";

/** Takes an address off the suppression list after a confirmation; a refusal stays in the dialog. */
export function RemoveSuppressionButton({ suppressionId, address, disabledReason }: { suppressionId: string; address: string; disabledReason: string | null }) {
  const t = useTranslations("outbox.suppressions");
  const router = useRouter();
  const button = (
    <Button variant="secondary" size="sm" disabled={disabledReason !== null} aria-label={disabledReason ? undefined : t("removeLabel", { address })}>
      {t("remove")}
    </Button>
  );
  if (disabledReason) return <DisabledReason reason={disabledReason}>{button}</DisabledReason>;
  return (
    <ConfirmActionDialog
      trigger={button}
      title={t("removeTitle")}
      description={t("removeDescription", { address })}
      confirmLabel={t("removeSubmit")}
      variant="danger"
      run={() => removeOutboxSuppression({ suppressionId })}
      onDone={(data) => {
        toast.success(t("removed", { address: data.address }));
        router.refresh();
      }}
    />
  );
}
