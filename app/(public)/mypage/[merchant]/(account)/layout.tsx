import Link from "next/link";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Toaster } from "@/components/ui/toaster";
import { mypageTranslator, requireCustomer } from "@/lib/mypage/customer-context";
import { mypagePath } from "@/lib/mypage/urls";
import { signOut } from "./actions";

/** The signed-in mypage: every page below reads the session here first (else the sign-in page). */
export default async function AccountLayout({ children, params }: { children: ReactNode; params: Promise<{ merchant: string }> }) {
  const merchantId = (await params).merchant;
  const { session, locale } = await requireCustomer(merchantId);
  const t = mypageTranslator(locale);
  const link = "rounded px-2 py-1 text-sm font-medium text-sky-800 underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600";
  return (
    <div lang={locale} className="flex flex-col gap-6">
      <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 pb-3 print:hidden">
        <p className="font-semibold">
          {session.merchant.name} <span className="text-sm font-normal text-slate-600">{t("title")}</span>
        </p>
        <nav aria-label={t("nav.label")} className="flex flex-wrap items-center gap-1">
          <Link className={link} href={mypagePath(merchantId)}>
            {t("nav.contracts")}
          </Link>
          <Link className={link} href={mypagePath(merchantId, "/receipts")}>
            {t("nav.receipts")}
          </Link>
          <Link className={link} href={mypagePath(merchantId, "/profile")}>
            {t("nav.profile")}
          </Link>
          <form action={signOut.bind(null, merchantId)}>
            <Button type="submit" variant="ghost" size="sm">
              {t("nav.signOut")}
            </Button>
          </form>
        </nav>
      </header>
      <main className="flex flex-col gap-6">{children}</main>
      <Toaster />
    </div>
  );
}
