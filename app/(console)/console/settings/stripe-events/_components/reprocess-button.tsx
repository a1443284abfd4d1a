"use client";

import { RotateCcw } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { DisabledReason } from "@/components/ui/tooltip";
import { reprocessGatewayEventAction } from "../actions";

/** 「もう一度処理する」: the event is due at once and the runner processes it within seconds; safe for any event. */
export function ReprocessButton({ id, disabledReason }: { id: string; disabledReason: string | null }) {
  const t = useTranslations("gatewayEvents.reprocess");
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const run = () =>
    startTransition(async () => {
      const result = await reprocessGatewayEventAction({ id }).catch(() => null);
      if (!result) return void toast.error(tErrors("generic"));
      if (!result.ok) return void toast.error(result.message);
      toast.success(t("done"));
      router.refresh();
    });
  return (
    <DisabledReason reason={disabledReason}>
      <Button onClick={run} disabled={disabledReason !== null || pending} aria-busy={pending}>
        <RotateCcw className="h-4 w-4" aria-hidden />
        {pending ? t("pending") : t("button")}
      </Button>
    </DisabledReason>
  );
}
