import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { NextIntlClientProvider } from "next-intl";
import { getTranslations } from "next-intl/server";
import { safeCallbackPath } from "@/lib/console/callback-url";
import { staffSession } from "@/lib/console/staff-context";
import { SignInForm } from "./_components/sign-in-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("signIn");
  return { title: t("title") };
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackPath = safeCallbackPath(typeof params.callbackUrl === "string" ? params.callbackUrl : null);
  // Already signed in: straight on.
  if (await staffSession()) redirect(callbackPath);
  const t = await getTranslations("signIn");
  return (
    <NextIntlClientProvider>
      <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center gap-6 px-6 py-16">
        <header>
          <p className="text-sm font-semibold text-sky-800">Keizoku 継続課金</p>
          <h1 className="mt-1 text-2xl font-bold">{t("title")}</h1>
          <p className="mt-2 text-sm text-slate-600">{t("lead")}</p>
        </header>
        {params.joined ? (
          <p role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
            {t("joined")}
          </p>
        ) : null}
        {params.signedOut ? (
          <p role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
            {t("signedOut")}
          </p>
        ) : null}
        <SignInForm callbackPath={callbackPath} />
      </main>
    </NextIntlClientProvider>
  );
}
