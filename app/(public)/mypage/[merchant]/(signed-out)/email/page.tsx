import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { MypageForm } from "@/components/mypage/mypage-form";
import { mypageMerchant, mypageTranslator, visitorLocale } from "@/lib/mypage/customer-context";
import { configuredPlatform } from "@/lib/platform";
import { getDatabase } from "@/lib/runtime";
import { peekCustomerToken } from "@/lib/services/mypage/redeem-customer-token";
import { confirmNewEmail } from "../sign-in/actions";

type Props = { params: Promise<{ merchant: string }>; searchParams: Promise<{ token?: string | string[] }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: mypageTranslator(await visitorLocale())("email.title") };
}

/**
 * The new address's confirmation link: opening it changes nothing; the button's POST does, once. A link used, expired
 * or unknown says so at once rather than offering a button that cannot work.
 */
export default async function ConfirmEmailPage({ params, searchParams }: Props) {
  const t = mypageTranslator(await visitorLocale());
  const merchantId = (await params).merchant;
  if (!(await mypageMerchant(merchantId))) notFound();
  const { token } = await searchParams;
  const value = typeof token === "string" ? token : "";
  const valid = value !== "" && (await peekCustomerToken(configuredPlatform(await getDatabase()), merchantId, "email_change", value)) === "valid";
  return (
    <main className="mx-auto flex w-full max-w-md flex-col gap-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-2xl font-bold">{t("email.title")}</h1>
      {valid ? (
        <>
          <p className="text-sm text-slate-700">{t("email.lead")}</p>
          <MypageForm action={confirmNewEmail.bind(null, merchantId, value)} submitLabel={t("email.submit")} testId="confirm-email" hideWhenDone />
        </>
      ) : (
        <p role="alert" className="text-sm text-slate-800">
          {t("email.invalid")}
        </p>
      )}
    </main>
  );
}
