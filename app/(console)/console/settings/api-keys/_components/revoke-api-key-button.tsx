"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { ConfirmActionDialog } from "@/components/console/confirm-action-dialog";
import { Button } from "@/components/ui/button";
import { DisabledReason } from "@/components/ui/tooltip";
import { revokeApiKeyAction } from "../actions";

/** Revokes a key after a confirmation: whatever still sends it is refused from then on, and it cannot be undone. */
export function RevokeApiKeyButton({ apiKeyId, name, disabledReason }: { apiKeyId: string; name: string; disabledReason: string | null }) {
  const t = useTranslations("apiKeys.revoke");
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
      title={t("title")}
      description={t("description", { name })}
      confirmLabel={t("confirm")}
      pendingLabel={t("pending")}
      variant="danger"
      run={() => revokeApiKeyAction({ apiKeyId })}
      onDone={() => {
        toast.success(t("done", { name }));
        router.refresh();
      }}
    />
  );
}
