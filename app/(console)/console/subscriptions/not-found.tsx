import Link from "next/link";
import { getTranslations } from "next-intl/server";

/** An unknown contract id, or another merchant's: the same answer, so ids cannot be probed. */
export default async function SubscriptionNotFound() {
  const t = await getTranslations("subscription.notFound");
  return (
    <div className="flex max-w-xl flex-col gap-3 rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-lg font-semibold">{t("title")}</h1>
      <p className="text-sm text-slate-700">{t("body")}</p>
      <Link href="/console/subscriptions" className="text-sm font-medium text-sky-800 underline underline-offset-2">
        {t("back")}
      </Link>
    </div>
  );
}
