import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { Card, CardTitle } from "@/components/ui/card";
import { StatusBadge } from "@/components/console/status-badge";
import { SUBSCRIPTION_STATUSES } from "@/lib/billing/subscription-state";
import { requireStaff } from "@/lib/console/staff-context";
import { subscriptionCountsByStatus } from "@/lib/services/queries/subscriptions";

export default async function ConsoleHomePage() {
  const { ctx } = await requireStaff();
  const [t, format, counts] = await Promise.all([getTranslations("console.home"), getFormatter(), subscriptionCountsByStatus(ctx)]);
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  return (
    <div className="flex max-w-4xl flex-col gap-6">
      <header>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="mt-1 text-sm text-slate-600">{t("lead")}</p>
      </header>
      <Card aria-labelledby="by-status">
        <CardTitle id="by-status">{t("byStatus")}</CardTitle>
        {total === 0 ? (
          <p className="text-sm text-slate-600">{t("empty")}</p>
        ) : (
          <ul className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            {SUBSCRIPTION_STATUSES.map((status) => (
              <li key={status}>
                <Link
                  href={`/console/subscriptions?status=${status}`}
                  className="flex flex-col gap-2 rounded-md border border-slate-200 p-3 hover:border-sky-400 focus-visible:outline-2 focus-visible:outline-sky-600"
                >
                  <StatusBadge status={status} />
                  <span className="text-2xl font-semibold tabular-nums" data-testid={`count-${status}`}>
                    {format.number(counts[status] ?? 0)}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
