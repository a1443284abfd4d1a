import { useTranslations } from "next-intl";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { SubscriptionStatus } from "@/lib/billing/subscription-state";

const TONE: Record<SubscriptionStatus, BadgeTone> = {
  active: "success",
  trialing: "info",
  past_due: "warning",
  unpaid: "danger",
  paused: "neutral",
  incomplete: "warning",
  canceled: "muted",
  withdrawn: "muted",
};

/** A contract's status as PRODUCT.md names it (有効, 再決済中, 決済エラー, …), coloured by how urgent it is. */
export function StatusBadge({ status }: { status: SubscriptionStatus }) {
  const t = useTranslations("common.status");
  return <Badge tone={TONE[status]}>{t(status)}</Badge>;
}
