import type { Metadata } from "next";
import { NextIntlClientProvider } from "next-intl";
import type { ReactNode } from "react";

/**
 * The sandbox gateway's own pages (its hosted card form, its 3-D Secure challenge): they stand for a gateway's
 * servers and are shown in frames of the checkout page, so they carry no Keizoku chrome.
 */
export const metadata: Metadata = { robots: { index: false, follow: false }, referrer: "no-referrer" };

export default function SandboxGatewayLayout({ children }: { children: ReactNode }) {
  return (
    <NextIntlClientProvider>
      <main className="bg-white p-3">{children}</main>
    </NextIntlClientProvider>
  );
}
