import Link from "next/link";
import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/cn";

/** Test data on a test clock (a customer, a contract, a 後払い order): a badge naming the clock, linking to its page. */
export function TestClockBadge({ clock, className, testId }: { clock: { id: string; name: string | null }; className?: string; testId?: string }) {
  const t = useTranslations("testClocks");
  return (
    <Link href={`/console/test-clocks/${clock.id}`} className={cn("rounded-full focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600", className)} data-testid={testId}>
      <Badge tone="test">{clock.name ? t("badgeNamed", { name: clock.name }) : t("badge")}</Badge>
    </Link>
  );
}
