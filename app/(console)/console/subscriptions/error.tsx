"use client";

import { useTranslations } from "next-intl";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";

/** The search failed (the database, not the visitor): say so, offer to try again; details go to the server log. */
export default function SubscriptionsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations();
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="flex max-w-xl flex-col gap-3 rounded-lg border border-red-200 bg-white p-6">
      <h1 className="text-lg font-semibold">{t("subscriptions.error.title")}</h1>
      <p className="text-sm text-slate-700">{t("subscriptions.error.body")}</p>
      {error.digest ? <p className="text-xs text-slate-500">ID: {error.digest}</p> : null}
      <div>
        <Button onClick={reset}>{t("common.retry")}</Button>
      </div>
    </div>
  );
}
