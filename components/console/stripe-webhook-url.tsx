import { useTranslations } from "next-intl";
import { useId } from "react";
import { CopyTextButton } from "@/components/console/copy-text-button";

/** The merchant's Stripe webhook URL, selectable, with a copy button (here and on the billing settings' Stripe section). */
export function StripeWebhookUrl({ url }: { url: string }) {
  const t = useTranslations("gatewayEvents.connect");
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <span id={`${id}-label`} className="text-sm font-medium">
        {t("url")}
      </span>
      <div className="flex flex-wrap items-center gap-2">
        <code aria-labelledby={`${id}-label`} className="rounded bg-slate-100 px-2 py-1 font-mono text-xs break-all text-slate-900" data-testid="stripe-webhook-url">
          {url}
        </code>
        <CopyTextButton text={url} labels={{ copy: t("copy"), copyLabel: t("copyLabel"), copied: t("copied"), copyFailed: t("copyFailed") }} />
      </div>
    </div>
  );
}
