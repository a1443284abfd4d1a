import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import type { BulkJobItemStatus, BulkJobStatus } from "@/db/schema";

export function JobStatusBadge({ status }: { status: BulkJobStatus }) {
  const t = useTranslations("jobs.status");
  return <Badge tone={status === "done" ? "success" : "info"}>{t(status)}</Badge>;
}

const ITEM_TONE = { pending: "muted", done: "success", skipped: "neutral", failed: "danger" } as const;

export function ItemResultBadge({ status }: { status: BulkJobItemStatus }) {
  const t = useTranslations("jobs.result");
  return <Badge tone={ITEM_TONE[status]}>{t(status)}</Badge>;
}
