"use client";

import { useTranslations } from "next-intl";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { DisabledReason } from "@/components/ui/tooltip";
import { enableAtobaraiAction } from "../actions";

/** 後払い is off: what it is, and 「後払いを有効にする」 for those who may turn it on. */
export function AtobaraiOff({ readOnlyReason }: { readOnlyReason: string | null }) {
  const t = useTranslations("atobarai.off");
  const [pending, startTransition] = useTransition();
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6">
      <p className="text-sm text-slate-700">{t("lead")}</p>
      <DisabledReason reason={readOnlyReason}>
        <Button
          className="mt-4"
          disabled={pending || readOnlyReason !== null}
          onClick={() =>
            startTransition(async () => {
              const r = await enableAtobaraiAction();
              if (r.ok) toast.success(t("enabled"));
              else toast.error(r.message);
            })
          }
        >
          {t("enable")}
        </Button>
      </DisabledReason>
    </div>
  );
}
