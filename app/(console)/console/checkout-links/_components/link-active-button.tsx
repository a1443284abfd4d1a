"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useTransition } from "react";
import { toast } from "sonner";
import { ConfirmActionDialog } from "@/components/console/confirm-action-dialog";
import { Button } from "@/components/ui/button";
import { DisabledReason } from "@/components/ui/tooltip";
import { setCheckoutLinkActiveAction } from "../actions";

/**
 * Turns a link off after a confirmation (customers holding it will find its page gone) or on again at once; a
 * refusal (a retired plan) is said in a toast.
 */
export function LinkActiveButton({ linkId, active, product, disabledReason }: { linkId: string; active: boolean; product: string; disabledReason: string | null }) {
  const t = useTranslations("checkoutLinks.list");
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const label = active ? t("deactivate") : t("activate");
  const done = (message: string) => {
    toast.success(message);
    router.refresh();
  };

  const turnOn = () =>
    startTransition(async () => {
      const result = await setCheckoutLinkActiveAction({ linkId, active: true }).catch(() => null);
      if (!result || !result.ok) toast.error(result ? result.message : tErrors("generic"));
      else done(t("activated", { product }));
    });
  const button = (
    <Button variant="secondary" size="sm" disabled={disabledReason !== null || pending} aria-label={disabledReason ? undefined : `${label}: ${product}`} onClick={active ? undefined : turnOn}>
      {label}
    </Button>
  );
  if (disabledReason) return <DisabledReason reason={disabledReason}>{button}</DisabledReason>;
  if (!active) return button;
  return (
    <ConfirmActionDialog
      trigger={button}
      title={t("deactivateTitle")}
      description={t("deactivateDescription", { product })}
      confirmLabel={t("deactivateConfirm")}
      variant="danger"
      run={() => setCheckoutLinkActiveAction({ linkId, active: false })}
      onDone={() => done(t("deactivated", { product }))}
    />
  );
}
