"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { ConfirmActionDialog } from "@/components/console/confirm-action-dialog";
import { Button } from "@/components/ui/button";
import { DisabledReason } from "@/components/ui/tooltip";
import { deleteWebhookEndpointAction, updateWebhookEndpointAction } from "../actions";

/** Disable / enable and delete, each after a confirmation that says what follows; disabled, with the reason, for roles that cannot. */
export function EndpointActions({ endpoint, disabledReason }: { endpoint: { id: string; url: string; enabled: boolean }; disabledReason: string | null }) {
  const t = useTranslations("webhooks");
  const router = useRouter();
  const { url } = endpoint;
  if (disabledReason) {
    return (
      <>
        {[endpoint.enabled ? t("toggle.disable") : t("toggle.enable"), t("delete.button")].map((label) => (
          <DisabledReason key={label} reason={disabledReason}>
            <Button variant="secondary" size="sm" disabled>
              {label}
            </Button>
          </DisabledReason>
        ))}
      </>
    );
  }
  return (
    <>
      {endpoint.enabled ? (
        <ConfirmActionDialog
          trigger={
            <Button variant="secondary" size="sm" aria-label={t("toggle.disableLabel", { url })}>
              {t("toggle.disable")}
            </Button>
          }
          title={t("toggle.disableTitle")}
          description={t("toggle.disableDescription", { url })}
          confirmLabel={t("toggle.disable")}
          pendingLabel={t("toggle.disablePending")}
          run={() => updateWebhookEndpointAction({ endpointId: endpoint.id, enabled: false })}
          onDone={() => {
            toast.success(t("toggle.disabled"));
            router.refresh();
          }}
        />
      ) : (
        <ConfirmActionDialog
          trigger={
            <Button variant="secondary" size="sm" aria-label={t("toggle.enableLabel", { url })}>
              {t("toggle.enable")}
            </Button>
          }
          title={t("toggle.enableTitle")}
          description={t("toggle.enableDescription", { url })}
          confirmLabel={t("toggle.enable")}
          pendingLabel={t("toggle.enablePending")}
          run={() => updateWebhookEndpointAction({ endpointId: endpoint.id, enabled: true })}
          onDone={() => {
            toast.success(t("toggle.enabled"));
            router.refresh();
          }}
        />
      )}
      <ConfirmActionDialog
        trigger={
          <Button variant="secondary" size="sm" aria-label={t("delete.label", { url })}>
            {t("delete.button")}
          </Button>
        }
        title={t("delete.title")}
        description={t("delete.description", { url })}
        confirmLabel={t("delete.confirm")}
        pendingLabel={t("delete.pending")}
        variant="danger"
        run={() => deleteWebhookEndpointAction({ endpointId: endpoint.id })}
        onDone={() => {
          toast.success(t("delete.done"));
          router.push("/console/settings/webhooks");
          router.refresh();
        }}
      />
    </>
  );
}
