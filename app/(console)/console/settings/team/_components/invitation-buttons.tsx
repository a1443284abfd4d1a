"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { ConfirmActionDialog } from "@/components/console/confirm-action-dialog";
import { Button } from "@/components/ui/button";
import { DisabledReason } from "@/components/ui/tooltip";
import { resendInvitationAction, revokeInvitationAction } from "../actions";

type Props = { invitationId: string; email: string; disabledReason: string | null };

/** The row's button as an element (not a component of ours): the dialog's trigger passes its handlers to it. */
function trigger(label: string, text: string, disabledReason: string | null) {
  return (
    <Button variant="secondary" size="sm" disabled={disabledReason !== null} aria-label={disabledReason ? undefined : label}>
      {text}
    </Button>
  );
}

/** 「再送信」: the mail again with a fresh link, valid for another week from now. */
export function ResendInvitationButton({ invitationId, email, disabledReason }: Props) {
  const t = useTranslations("team.invitations.resend");
  const router = useRouter();
  const button = trigger(t("label", { email }), t("button"), disabledReason);
  if (disabledReason) return <DisabledReason reason={disabledReason}>{button}</DisabledReason>;
  return (
    <ConfirmActionDialog
      trigger={button}
      title={t("title", { email })}
      description={t("description")}
      confirmLabel={t("confirm")}
      pendingLabel={t("pending")}
      run={() => resendInvitationAction({ invitationId })}
      onDone={() => {
        toast.success(t("done", { email }));
        router.refresh();
      }}
    />
  );
}

/** 「取り消し」: the invitation's link opens nothing from now on. */
export function RevokeInvitationButton({ invitationId, email, disabledReason }: Props) {
  const t = useTranslations("team.invitations.revoke");
  const router = useRouter();
  const button = trigger(t("label", { email }), t("button"), disabledReason);
  if (disabledReason) return <DisabledReason reason={disabledReason}>{button}</DisabledReason>;
  return (
    <ConfirmActionDialog
      trigger={button}
      title={t("title", { email })}
      description={t("description")}
      confirmLabel={t("confirm")}
      pendingLabel={t("pending")}
      variant="danger"
      run={() => revokeInvitationAction({ invitationId })}
      onDone={() => {
        toast.success(t("done", { email }));
        router.refresh();
      }}
    />
  );
}
