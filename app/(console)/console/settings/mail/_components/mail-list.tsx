import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import type { CustomerMailTemplate } from "@/lib/billing/mail-template";
import { cn } from "@/lib/cn";
import { mailSettingsHref } from "../search-params";

export type MailListEntry = { template: CustomerMailTemplate; enabled: boolean; own: boolean; custom: boolean };

/** The 13 mails, each a plain link (keyboard and no-JS friendly) with whether it is sent and whether it is edited. */
export async function MailList({ entries, current, productId }: { entries: MailListEntry[]; current: CustomerMailTemplate; productId: string }) {
  const [t, tBilling] = await Promise.all([getTranslations("mailSettings.events"), getTranslations("billing.mailTemplate")]);
  return (
    <nav aria-labelledby="mail-list-title" className="rounded-lg border border-slate-200 bg-white p-2 shadow-sm">
      <h2 id="mail-list-title" className="px-2 py-1 text-sm font-semibold text-slate-800">
        {t("heading")}
      </h2>
      <ul className="flex flex-col gap-0.5">
        {entries.map((entry) => {
          const active = entry.template === current;
          return (
            <li key={entry.template}>
              <Link
                href={`/console/settings/mail${mailSettingsHref({ event: entry.template, product: productId || null })}`}
                aria-current={active ? "page" : undefined}
                data-testid={`mail-entry-${entry.template}`}
                className={cn(
                  "flex flex-col gap-1 rounded-md px-2 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-sky-600",
                  active ? "bg-sky-50 font-semibold text-sky-900" : "text-slate-800 hover:bg-slate-100",
                )}
              >
                <span>{tBilling(entry.template)}</span>
                <span className="flex flex-wrap gap-1">
                  <Badge tone={entry.enabled ? "success" : "muted"}>{entry.enabled ? t("on") : t("off")}</Badge>
                  {entry.own ? <Badge tone="info">{t("own")}</Badge> : null}
                  {entry.custom ? <Badge tone="neutral">{t("custom")}</Badge> : null}
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
