"use client";

import { useTranslations } from "next-intl";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";

/** A page of the console failed to render: say so plainly and offer a retry; the details go to the server log. */
export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations();
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="flex max-w-xl flex-col gap-3 rounded-lg border border-red-200 bg-white p-6">
      <h1 className="text-lg font-semibold">{t("console.errorTitle")}</h1>
      <p className="text-sm text-slate-700">{t("console.errorBody")}</p>
      {error.digest ? <p className="text-xs text-slate-500">ID: {error.digest}</p> : null}
      <div>
        <Button onClick={reset}>{t("common.retry")}</Button>
      </div>
    </div>
  );
}
