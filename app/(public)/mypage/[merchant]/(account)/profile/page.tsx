import type { Metadata } from "next";
import { NextIntlClientProvider } from "next-intl";
import { MypageForm } from "@/components/mypage/mypage-form";
import { ProfileAddressFields } from "@/components/mypage/profile-address-fields";
import { Input, Label } from "@/components/ui/input";
import { mypageTranslator, requireCustomer } from "@/lib/mypage/customer-context";
import { getMyProfile } from "@/lib/services/queries/my-profile";
import { MESSAGES } from "@/messages";
import { changeEmail, saveProfile } from "../actions";

type Props = { params: Promise<{ merchant: string }> };

export const metadata: Metadata = { title: mypageTranslator("ja")("profile.title") };

/** Name, phone and address; a new email address is confirmed by a link mailed to it. */
export default async function MyProfilePage({ params }: Props) {
  const merchantId = (await params).merchant;
  const { ctx, locale } = await requireCustomer(merchantId);
  const t = mypageTranslator(locale);
  const me = await getMyProfile(ctx);
  const field = (id: string, label: string, props: React.ComponentProps<"input">) => (
    <div className="flex flex-col gap-1">
      <Label htmlFor={id}>{label}</Label>
      <Input id={id} name={id} {...props} />
    </div>
  );
  const box = "rounded-lg border border-slate-200 bg-white p-5 shadow-sm";
  return (
    <>
      <h1 className="text-2xl font-bold">{t("profile.title")}</h1>
      <section aria-label={t("profile.title")} className={box}>
        <MypageForm action={saveProfile.bind(null, merchantId)} submitLabel={t("profile.save")} testId="profile">
          {field("name", t("profile.name"), { defaultValue: me.name, autoComplete: "name", required: true, maxLength: 200 })}
          {field("phone", t("profile.phone"), { defaultValue: me.phone, autoComplete: "tel", inputMode: "tel" })}
          {/* The mypage speaks the customer's language, not the visitor's: the address lookup's texts in it. */}
          <NextIntlClientProvider locale={locale} messages={{ addressLookup: MESSAGES[locale].addressLookup }}>
            <ProfileAddressFields
              saved={me.address}
              labels={{
                legend: t("profile.addressLegend"),
                postalCode: t("profile.postalCode"),
                prefecture: t("profile.prefecture"),
                choosePrefecture: t("profile.choosePrefecture"),
                city: t("profile.city"),
                line1: t("profile.line1"),
                line2: t("profile.line2"),
              }}
            />
          </NextIntlClientProvider>
        </MypageForm>
      </section>
      <section aria-labelledby="email-heading" className={box}>
        <h2 id="email-heading" className="mb-1 text-base font-semibold">
          {t("profile.emailHeading")}
        </h2>
        <p className="mb-3 text-sm text-slate-700">{t("profile.currentEmail", { email: me.email })}</p>
        <MypageForm action={changeEmail.bind(null, merchantId)} submitLabel={t("profile.changeEmail")} variant="secondary" testId="email-change">
          {field("email", t("profile.newEmail"), { type: "email", autoComplete: "email", required: true })}
        </MypageForm>
      </section>
    </>
  );
}
