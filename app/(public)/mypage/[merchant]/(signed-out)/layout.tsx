import { NextIntlClientProvider } from "next-intl";
import type { ReactNode } from "react";
import { LocaleSwitch } from "@/components/locale-switch";

/**
 * The mypage before sign-in (sign-in, a mailed link's confirmation, password reset, email confirmation): the
 * customer is not known yet, so the page speaks the visitor's chosen language and offers the switch.
 */
export default function SignedOutMypageLayout({ children }: { children: ReactNode }) {
  return (
    <NextIntlClientProvider>
      <LocaleSwitch className="justify-end" />
      {children}
    </NextIntlClientProvider>
  );
}
