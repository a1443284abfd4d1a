import Link from "next/link";
import { getTranslations } from "next-intl/server";

export default async function ConsoleNotFound() {
  const t = await getTranslations("console");
  return (
    <div className="flex max-w-xl flex-col gap-3 rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-lg font-semibold">{t("notFoundTitle")}</h1>
      <p className="text-sm text-slate-700">{t("notFoundBody")}</p>
      <Link href="/console" className="text-sm font-medium text-sky-800 underline underline-offset-2">
        {t("toConsoleHome")}
      </Link>
    </div>
  );
}
