import type { Metadata } from "next";
import type { ReactNode } from "react";

/**
 * Pages an end user opens from a signed link in a mail (the card page, a receipt): no staff session, no console
 * chrome. Search engines keep out, and no Referer carries the link's token to another site.
 */
export const metadata: Metadata = { robots: { index: false, follow: false }, referrer: "no-referrer" };

export default function PublicLayout({ children }: { children: ReactNode }) {
  return <div className="min-h-screen px-4 py-8 print:bg-white print:p-0 sm:py-12">{children}</div>;
}
