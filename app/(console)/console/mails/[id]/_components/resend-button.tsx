"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { ConfirmActionDialog } from "@/components/console/confirm-action-dialog";
import { Button } from "@/components/ui/button";
import { DisabledReason } from "@/components/ui/tooltip";
import { resendOutboxMail } from "../../actions";

/** 再送信: asks first, then queues a copy of the mail as sent; a refusal is shown in the dialog. */
export function ResendButton({ mailId, to, disabledReason }: { mailId: string; to: string; disabledReason: string | null }) {
  const t = useTranslations("outbox.resend");
  const router = useRouter();
  const button = (
    <Button variant="secondary" disabled={disabledReason !== null} data-testid="resend">
      {t("button")}
    </Button>
  );
  if (disabledReason) return <DisabledReason reason={disabledReason}>{button}</DisabledReason>;
  return (
    <ConfirmActionDialog
      trigger={button}
      title={t("title")}
      description={t("description", { to })}
      confirmLabel={t("submit")}
      pendingLabel={t("pending")}
      run={() => resendOutboxMail({ mailId })}
      onDone={({ mailId: id }) => {
        toast.success(t("done"), { action: { label: t("open"), onClick: () => router.push(`/console/mails/${id}`) } });
        router.refresh();
      }}
    />
  );
}
