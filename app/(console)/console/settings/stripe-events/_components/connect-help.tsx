import Link from "next/link";
import { useTranslations } from "next-intl";
import { StripeWebhookUrl } from "@/components/console/stripe-webhook-url";

/** How to have Stripe send its events here: the URL to add at Stripe, the events to choose, where the signing secret goes. */
export function ConnectHelp({ url, events }: { url: string; events: readonly string[] }) {
  const t = useTranslations("gatewayEvents.connect");
  return (
    <div className="flex flex-col gap-3" data-testid="stripe-connect-help">
      <p className="text-sm text-slate-700">{t("lead")}</p>
      <StripeWebhookUrl url={url} />
      <div>
        <p className="text-sm font-medium">{t("events")}</p>
        <ul className="mt-1 flex flex-wrap gap-2">
          {events.map((type) => (
            <li key={type}>
              <code className="rounded bg-slate-100 px-2 py-0.5 font-mono text-xs text-slate-900">{type}</code>
            </li>
          ))}
        </ul>
      </div>
      <Link href="/console/settings/billing" className="text-sm font-medium text-sky-800 underline underline-offset-2">
        {t("toBilling")}
      </Link>
    </div>
  );
}
