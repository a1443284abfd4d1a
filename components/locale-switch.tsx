"use client";

import { useRouter } from "next/navigation";
import { useLocale } from "next-intl";
import { useTransition } from "react";
import { setLocale } from "@/lib/i18n/set-locale";
import { cn } from "@/lib/cn";

const NAMES = { ja: "日本語", en: "English" } as const;

/** 日本語 | English: each language named in itself, the current one marked. */
export function LocaleSwitch({ className }: { className?: string }) {
  const current = useLocale();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <div className={cn("flex items-center justify-center gap-1 text-sm", className)} role="group" aria-label="Language / 表示言語">
      {(Object.keys(NAMES) as (keyof typeof NAMES)[]).map((locale) => (
        <button
          key={locale}
          type="button"
          lang={locale}
          disabled={pending}
          aria-pressed={current === locale}
          onClick={() =>
            startTransition(async () => {
              await setLocale(locale);
              router.refresh();
            })
          }
          className={cn(
            "rounded px-2 py-1 focus-visible:outline-2 focus-visible:outline-sky-600",
            current === locale ? "font-semibold text-slate-900 underline underline-offset-4" : "text-sky-800 hover:bg-slate-100",
          )}
        >
          {NAMES[locale]}
        </button>
      ))}
    </div>
  );
}
