import { useTranslations } from "next-intl";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { MailStatus } from "@/lib/mail/mail-settings";

const TONE: Record<MailStatus, BadgeTone> = { queued: "neutral", sent: "success", failed: "danger", not_delivered: "muted", skipped: "muted", suppressed: "warning" };

/** An outbox row's status in the staff member's language (server and client components alike). */
export function MailStatusBadge({ status }: { status: MailStatus }) {
  const t = useTranslations("billing");
  return <Badge tone={TONE[status]}>{t(`mailStatus.${status}`)}</Badge>;
}
