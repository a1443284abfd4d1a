import { useTranslations } from "next-intl";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { GatewayEventStatus } from "@/db/schema";

const TONE: Record<GatewayEventStatus, BadgeTone> = { processed: "success", ignored: "muted", pending: "info", failed: "danger" };

/** 処理済み / 対象外 / 待機中 / 失敗. */
export function GatewayEventStatusBadge({ status }: { status: GatewayEventStatus }) {
  const t = useTranslations("gatewayEvents.status");
  return <Badge tone={TONE[status]}>{t(status)}</Badge>;
}

/** What processing found, in words (an outcome this version has no words for shows as it is stored). */
export function GatewayEventOutcome({ outcome }: { outcome: string | null }) {
  const t = useTranslations("gatewayEvents.outcome");
  if (!outcome) return <span className="text-slate-600">{t("none")}</span>;
  const key = outcome as Parameters<typeof t>[0];
  return <span>{t.has(key) ? t(key) : outcome}</span>;
}
