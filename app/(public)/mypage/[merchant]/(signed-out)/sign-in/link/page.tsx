import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { MypageForm } from "@/components/mypage/mypage-form";
import { mypageMerchant, mypageTranslator, visitorLocale } from "@/lib/mypage/customer-context";
import { mypagePath } from "@/lib/mypage/urls";
import { configuredPlatform } from "@/lib/platform";
import { getDatabase } from "@/lib/runtime";
import { peekCustomerToken } from "@/lib/services/mypage/redeem-customer-token";
import { confirmSignInLink } from "../actions";

type Props = { params: Promise<{ merchant: string }>; searchParams: Promise<{ token?: string | string[] }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: mypageTranslator(await visitorLocale())("link.title") };
}

/**
 * Where a mailed sign-in link opens. Opening it does nothing (mail scanners open links too, next-auth#4965); the
 * button's POST signs in and uses the link up.
 */
export default async function SignInLinkPage({ params, searchParams }: Props) {
  const t = mypageTranslator(await visitorLocale());
  const merchantId = (await params).merchant;
  const merchant = await mypageMerchant(merchantId);
  if (!merchant) notFound();
  const { token } = await searchParams;
  const value = typeof token === "string" ? token : "";
  const valid = (await peekCustomerToken(configuredPlatform(await getDatabase()), merchantId, "sign_in", value)) === "valid";
  return (
    <main className="mx-auto flex w-full max-w-md flex-col gap-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-2xl font-bold">{t("link.title")}</h1>
      {valid ? (
        <>
          <p className="text-sm text-slate-700">{t("link.lead", { merchant: merchant.name })}</p>
          <MypageForm action={confirmSignInLink.bind(null, merchantId, value)} submitLabel={t("link.submit")} testId="confirm-link" />
        </>
      ) : (
        <>
          <p role="alert" className="text-sm text-slate-800">
            {t("link.invalid")}
          </p>
          <Link className="text-sky-800 underline" href={mypagePath(merchantId, "/sign-in")}>
            {t("link.back")}
          </Link>
        </>
      )}
    </main>
  );
}
