import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { mypageMerchant } from "@/lib/mypage/customer-context";

/** A merchant's mypage (/mypage/<merchant id>/…): an unknown merchant is a 404, before anything is shown. */
export default async function MerchantMypageLayout({ children, params }: { children: ReactNode; params: Promise<{ merchant: string }> }) {
  const merchant = await mypageMerchant((await params).merchant);
  if (!merchant) notFound();
  return <div className="mx-auto flex max-w-3xl flex-col gap-6">{children}</div>;
}
