import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";

/** A clock is ready to be used, or advancing in the background (its due actions running). */
export function ClockStatusBadge({ status }: { status: "ready" | "advancing" }) {
  const t = useTranslations("testClocks.status");
  return <Badge tone={status === "ready" ? "success" : "warning"}>{t(status)}</Badge>;
}
