import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { MypageForm } from "@/components/mypage/mypage-form";
import { Input, Label } from "@/components/ui/input";
import { mypageMerchant, mypageTranslator, visitorLocale } from "@/lib/mypage/customer-context";
import { configuredPlatform } from "@/lib/platform";
import { getDatabase } from "@/lib/runtime";
import { peekCustomerToken } from "@/lib/services/mypage/redeem-customer-token";
import { mailMeALink, setNewPassword } from "../sign-in/actions";

type Props = { params: Promise<{ merchant: string }>; searchParams: Promise<{ token?: string | string[] }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: mypageTranslator(await visitorLocale())("reset.title") };
}

/** Password reset: without a token, ask for the mail; with the mailed token, set a new password (one POST, once). */
export default async function ResetPasswordPage({ params, searchParams }: Props) {
  const t = mypageTranslator(await visitorLocale());
  const merchantId = (await params).merchant;
  if (!(await mypageMerchant(merchantId))) notFound();
  const { token } = await searchParams;
  const value = typeof token === "string" ? token : "";
  const valid = value !== "" && (await peekCustomerToken(configuredPlatform(await getDatabase()), merchantId, "password_reset", value)) === "valid";
  return (
    <main className="mx-auto flex w-full max-w-md flex-col gap-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-2xl font-bold">{t("reset.title")}</h1>
      {value === "" ? (
        <>
          <p className="text-sm text-slate-700">{t("reset.lead")}</p>
          <MypageForm action={mailMeALink.bind(null, merchantId, "password_reset")} submitLabel={t("reset.send")} testId="reset-request" hideWhenDone>
            <div className="flex flex-col gap-1">
              <Label htmlFor="email">{t("signIn.email")}</Label>
              <Input id="email" name="email" type="email" autoComplete="email" required />
            </div>
          </MypageForm>
        </>
      ) : valid ? (
        <MypageForm action={setNewPassword.bind(null, merchantId, value)} submitLabel={t("reset.submit")} testId="reset-password">
          <div className="flex flex-col gap-1">
            <Label htmlFor="password">{t("reset.newPassword")}</Label>
            <Input id="password" name="password" type="password" autoComplete="new-password" minLength={8} required />
          </div>
        </MypageForm>
      ) : (
        <p role="alert" className="text-sm text-slate-800">
          {t("reset.invalid")}
        </p>
      )}
    </main>
  );
}
