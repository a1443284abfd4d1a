import type { Metadata } from "next";
import Link from "next/link";
import { createFormatter, NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import { LocaleSwitch } from "@/components/locale-switch";
import { configuredPlatform } from "@/lib/platform";
import { DATE_TIME_FORMAT } from "@/lib/i18n/formats";
import { getDatabase } from "@/lib/runtime";
import { getInvitationView } from "@/lib/services/queries/staff-invitations";
import { AcceptForm } from "./_components/accept-form";

type Props = { searchParams: Promise<{ token?: string | string[] }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("invitation"))("title") };
}

/**
 * The link of a staff invitation mail (outside the console's sign-in guard): the merchant, the address and the role,
 * and a form for a name and password that makes the login and signs in. A link that opens nothing (expired, revoked,
 * used, not valid) says which, in the visitor's language (their cookie, else Japanese), and changes nothing.
 */
export default async function InvitationPage({ searchParams }: Props) {
  const { token } = await searchParams;
  const value = typeof token === "string" ? token : "";
  const [t, tRole, locale, view] = await Promise.all([getTranslations("invitation"), getTranslations("common.role"), getLocale(), getInvitationView(configuredPlatform(await getDatabase()), value)]);
  return (
    <NextIntlClientProvider>
      <main className="mx-auto flex w-full max-w-md flex-col gap-6">
        <LocaleSwitch className="justify-end" />
        {view.ok ? (
          <>
            <header className="flex flex-col gap-1">
              <p className="text-sm font-semibold text-sky-800">Keizoku 継続課金</p>
              <h1 className="text-2xl font-bold">{t("heading", { merchant: view.merchantName })}</h1>
              <p className="text-sm text-slate-700">{t("lead")}</p>
            </header>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 rounded-lg border border-slate-200 bg-white p-4 text-sm">
              <dt className="text-slate-600">{t("merchant")}</dt>
              <dd className="font-medium">{view.merchantName}</dd>
              <dt className="text-slate-600">{t("role")}</dt>
              <dd className="font-medium" data-testid="invitation-role">
                {tRole(view.role)}
              </dd>
              <dt className="text-slate-600">{t("expires")}</dt>
              <dd>
                {/* In the merchant's time zone: no one is signed in, so the request's is only a default. */}
                <time dateTime={view.expiresAt.toISOString()} className="tabular-nums">
                  {createFormatter({ locale, timeZone: view.timeZone }).dateTime(view.expiresAt, DATE_TIME_FORMAT)}
                </time>
              </dd>
            </dl>
            <AcceptForm token={value} email={view.email} />
          </>
        ) : (
          <section className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-6 shadow-sm" data-testid={`invitation-refused-${view.reason}`}>
            <h1 className="text-xl font-bold">{t(`refused.${view.reason}.title`)}</h1>
            <p className="text-sm text-slate-700">{t(`refused.${view.reason}.text`)}</p>
            {view.reason === "used" ? (
              <p className="text-sm">
                <Link className="text-sky-800 underline" href="/console/sign-in">
                  {t("signIn")}
                </Link>
              </p>
            ) : null}
          </section>
        )}
      </main>
    </NextIntlClientProvider>
  );
}
