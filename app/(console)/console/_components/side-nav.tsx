"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { cn } from "@/lib/cn";
import { NAV_ITEMS } from "./nav-items";

export function SideNav() {
  const t = useTranslations("console");
  const pathname = usePathname();
  return (
    <nav aria-label={t("navLabel")} className="flex flex-col gap-1 p-3">
      {NAV_ITEMS.map(({ href, key, icon: Icon, exact }) => {
        const active = exact ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "flex items-center gap-2 rounded-md px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-sky-600",
              active ? "bg-sky-50 font-semibold text-sky-900" : "text-slate-700 hover:bg-slate-100",
            )}
          >
            <Icon className="h-4 w-4" aria-hidden />
            {t(`nav.${key}`)}
          </Link>
        );
      })}
    </nav>
  );
}
