import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { cn } from "@/lib/cn";

/** The outbox's two views, as links (each its own URL). */
export async function OutboxTabs({ current }: { current: "mails" | "suppressions" }) {
  const t = await getTranslations("outbox.tabs");
  const tab = (key: "mails" | "suppressions", href: string) => (
    <Link
      href={href}
      aria-current={current === key ? "page" : undefined}
      className={cn(
        "-mb-px border-b-2 px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-sky-600",
        current === key ? "border-sky-700 font-semibold text-sky-900" : "border-transparent text-slate-700 hover:text-slate-900",
      )}
    >
      {t(key)}
    </Link>
  );
  return (
    <nav aria-label={t("label")} className="flex gap-1 border-b border-slate-200">
      {tab("mails", "/console/mails")}
      {tab("suppressions", "/console/mails/suppressions")}
    </nav>
  );
}
