import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { MypageForm } from "@/components/mypage/mypage-form";
import { Input, Label } from "@/components/ui/input";
import { customerSession, mypageMerchant, mypageTranslator, visitorLocale } from "@/lib/mypage/customer-context";
import { mypagePath } from "@/lib/mypage/urls";
import { mailMeALink, signInWithPassword } from "./actions";

type Props = { params: Promise<{ merchant: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: mypageTranslator(await visitorLocale())("signIn.title") };
}

/** Sign-in to one merchant's mypage: email and password, or a one-time link by mail. */
export default async function MypageSignInPage({ params }: Props) {
  const t = mypageTranslator(await visitorLocale());
  const merchantId = (await params).merchant;
  const merchant = await mypageMerchant(merchantId);
  if (!merchant) notFound();
  if (await customerSession(merchantId)) redirect(mypagePath(merchantId));
  return (
    <main className="mx-auto flex w-full max-w-md flex-col gap-6">
      <header className="flex flex-col gap-1">
        <p className="text-sm font-medium text-slate-600">{merchant.name}</p>
        <h1 className="text-2xl font-bold">{t("signIn.title")}</h1>
        <p className="text-sm text-slate-700">{t("signIn.lead", { merchant: merchant.name })}</p>
      </header>
      <section aria-labelledby="password-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="password-heading" className="sr-only">
          {t("signIn.submit")}
        </h2>
        <MypageForm action={signInWithPassword.bind(null, merchantId)} submitLabel={t("signIn.submit")} testId="password-sign-in">
          <div className="flex flex-col gap-1">
            <Label htmlFor="email">{t("signIn.email")}</Label>
            <Input id="email" name="email" type="email" autoComplete="email" required />
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor="password">{t("signIn.password")}</Label>
            <Input id="password" name="password" type="password" autoComplete="current-password" required />
          </div>
        </MypageForm>
        <p className="mt-3 text-sm">
          <Link className="text-sky-800 underline" href={mypagePath(merchantId, "/reset")}>
            {t("signIn.forgot")}
          </Link>
        </p>
      </section>
      <section aria-labelledby="link-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="link-heading" className="mb-1 text-base font-semibold">
          {t("signIn.linkHeading")}
        </h2>
        <p className="mb-3 text-sm text-slate-700">{t("signIn.linkLead")}</p>
        <MypageForm action={mailMeALink.bind(null, merchantId, "sign_in")} submitLabel={t("signIn.sendLink")} variant="secondary" testId="link-sign-in" hideWhenDone>
          <div className="flex flex-col gap-1">
            <Label htmlFor="link-email">{t("signIn.email")}</Label>
            <Input id="link-email" name="email" type="email" autoComplete="email" required />
          </div>
        </MypageForm>
      </section>
    </main>
  );
}
