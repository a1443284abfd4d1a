import { createTranslator } from "next-intl";
import { LOCALES } from "@/lib/i18n/locales";
import { MESSAGES } from "@/messages";

/**
 * A signed link that opens nothing: expired, or not valid (forged, cut short, for another page, or its contract gone).
 * Who it was for is unknown, so it is said in Japanese, then English, and nothing about the contract is shown.
 */
export function LinkRefused({ namespace, reason }: { namespace: "cardUpdate" | "receipt" | "payment"; reason: "expired" | "invalid" }) {
  return (
    <main className="mx-auto flex max-w-xl flex-col gap-6 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      {LOCALES.map((locale, i) => {
        const t = createTranslator({ locale, messages: MESSAGES[locale], namespace: `${namespace}.link` });
        const Heading = i === 0 ? "h1" : "h2";
        return (
          <section key={locale} lang={locale} className="flex flex-col gap-2" data-testid={`link-refused-${locale}`}>
            <Heading className={i === 0 ? "text-lg font-semibold" : "text-base font-semibold text-slate-700"}>{t(reason === "expired" ? "expiredTitle" : "invalidTitle")}</Heading>
            <p className="text-sm text-slate-700">{t(reason === "expired" ? "expiredText" : "invalidText")}</p>
          </section>
        );
      })}
    </main>
  );
}
