import type { Metadata } from "next";
import { NextIntlClientProvider } from "next-intl";
import type { ReactNode } from "react";
import { LocaleSwitch } from "@/components/locale-switch";

/**
 * End users before a contract exists: no session, no console chrome; no Referer leaves for other sites. The visitor
 * picks the language (the card frame follows).
 */
export const metadata: Metadata = { robots: { index: false, follow: false }, referrer: "no-referrer" };

export default function CheckoutLayout({ children }: { children: ReactNode }) {
  return (
    <NextIntlClientProvider>
      <LocaleSwitch className="justify-end px-4 pt-3" />
      {children}
    </NextIntlClientProvider>
  );
}
