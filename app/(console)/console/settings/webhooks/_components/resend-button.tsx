"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { ConfirmActionDialog } from "@/components/console/confirm-action-dialog";
import { Button } from "@/components/ui/button";
import { DisabledReason } from "@/components/ui/tooltip";
import { resendEventAction } from "../actions";

/** Sends an event to the endpoint again (delivered or not), with the same event id. */
export function ResendButton({ endpointId, eventId, type, disabledReason }: { endpointId: string; eventId: string; type: string; disabledReason: string | null }) {
  const t = useTranslations("webhooks.log");
  const router = useRouter();
  const button = (
    <Button variant="secondary" size="sm" disabled={disabledReason !== null} aria-label={disabledReason ? undefined : t("resendLabel", { event: eventId })}>
      {t("resend")}
    </Button>
  );
  if (disabledReason) return <DisabledReason reason={disabledReason}>{button}</DisabledReason>;
  return (
    <ConfirmActionDialog
      trigger={button}
      title={t("resendTitle")}
      description={t("resendDescription", { event: eventId, type })}
      confirmLabel={t("resendConfirm")}
      pendingLabel={t("resendPending")}
      run={() => resendEventAction({ endpointId, eventId })}
      onDone={() => {
        toast.success(t("resendDone"));
        router.refresh();
      }}
    />
  );
}
