"use client";

import { RotateCcw } from "lucide-react";
import { useTranslations } from "next-intl";
import { ServerActionButton } from "@/components/console/server-action-button";
import { reprocessGatewayEventAction } from "../actions";

/** 「もう一度処理する」: the event is due at once and the runner processes it within seconds; safe for any event. */
export function ReprocessButton({ id, disabledReason }: { id: string; disabledReason: string | null }) {
  const t = useTranslations("gatewayEvents.reprocess");
  return <ServerActionButton run={() => reprocessGatewayEventAction({ id })} label={t("button")} pendingLabel={t("pending")} done={t("done")} icon={RotateCcw} disabledReason={disabledReason} />;
}
