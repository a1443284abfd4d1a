import { useTranslations } from "next-intl";
import type { AtobaraiOrderStatus } from "@/db/schema/atobarai";
import { Badge, type BadgeTone } from "@/components/ui/badge";

const TONE: Record<AtobaraiOrderStatus, BadgeTone> = {
  registered: "neutral",
  in_review: "warning",
  approved: "success",
  rejected: "danger",
  shipped: "info",
  paid: "success",
  collection: "danger",
  canceled: "neutral",
  returned: "neutral",
};

/** A 後払い order's status in words, coloured by what it asks of staff. */
export function OrderStatusBadge({ status }: { status: AtobaraiOrderStatus }) {
  const t = useTranslations("atobarai.status");
  return <Badge tone={TONE[status]}>{t(status)}</Badge>;
}
