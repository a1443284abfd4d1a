import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { openSignedLink } from "@/lib/mypage/signed-link-context";

/**
 * Two refusals, two not-found pages, both a real 404: a link that is not valid (forged, cut short, another page's, its
 * invoice gone) is refused here, so the parent's not-found says "invalid"; an expired one passes to the page, whose own
 * not-found says "expired". Either way nothing about the invoice is shown.
 */
export default async function PaymentLinkLayout({ children, params }: { children: ReactNode; params: Promise<{ token: string }> }) {
  const opened = await openSignedLink("payment_authentication", (await params).token);
  if (!opened.ok && opened.reason !== "expired") notFound();
  return children;
}
