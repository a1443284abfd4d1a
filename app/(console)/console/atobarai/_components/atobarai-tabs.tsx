import Link from "next/link";
import { useTranslations } from "next-intl";
import { cn } from "@/lib/cn";

const TABS = [
  { key: "orders", href: "/console/atobarai" },
  { key: "new", href: "/console/atobarai/orders/new" },
  { key: "review", href: "/console/atobarai/review" },
  { key: "upload", href: "/console/atobarai/upload" },
  { key: "settings", href: "/console/atobarai/settings" },
] as const;

/** The 後払い pages, side by side: orders, a new order, the review queue, CSV uploads, settings. */
export function AtobaraiTabs({ current }: { current: (typeof TABS)[number]["key"] }) {
  const t = useTranslations("atobarai.tabs");
  return (
    <nav aria-label={t("label")} className="flex flex-wrap gap-2 border-b border-slate-200 pb-2">
      {TABS.map((tab) => (
        <Link
          key={tab.key}
          href={tab.href}
          aria-current={tab.key === current ? "page" : undefined}
          className={cn("rounded-md px-3 py-1.5 text-sm", tab.key === current ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-100")}
        >
          {t(tab.key)}
        </Link>
      ))}
    </nav>
  );
}
