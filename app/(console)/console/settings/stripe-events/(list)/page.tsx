import type { Metadata } from "next";
import Link from "next/link";
import type { SearchParams } from "nuqs/server";
import { getTranslations } from "next-intl/server";
import { LiveRefresh } from "@/components/console/live-refresh";
import { Card, CardTitle } from "@/components/ui/card";
import { requireStaff } from "@/lib/console/staff-context";
import { HANDLED_STRIPE_EVENTS } from "@/lib/services/internal/stripe-event-handlers";
import { alreadyWaiting } from "@/lib/services/queries/gateway-event-search";
import { listGatewayEvents, stripeWebhookUrl } from "@/lib/services/queries/gateway-events";
import { ConnectHelp } from "../_components/connect-help";
import { EventsTable } from "../_components/events-table";
import { EventFilters } from "../_components/filters";
import { gatewayEventSearchHref, loadGatewayEventSearch, STRIPE_EVENTS_PATH, toGatewayEventFilters } from "../search-params";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("gatewayEvents"))("title") };
}

/**
 * Stripe 受信イベント: the events the merchant's Stripe account posted, newest received first, filtered and paged on the
 * server from the URL. While one waits to be processed the page asks for itself again, so its result shows up.
 */
export default async function StripeEventsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { ctx } = await requireStaff();
  const state = await loadGatewayEventSearch(searchParams);
  const filters = toGatewayEventFilters(state);
  const [t, page] = await Promise.all([getTranslations("gatewayEvents"), listGatewayEvents(ctx, filters)]);
  const now = ctx.clock.now();
  const filtered = Boolean(filters.q || filters.status || filters.type);
  const url = stripeWebhookUrl(ctx);
  const link = "text-sm font-medium text-sky-800 underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-sky-600";
  const nothingYet = page.rows.length === 0 && !filtered && !filters.after;
  return (
    <div className="flex max-w-6xl flex-col gap-5">
      <LiveRefresh running={page.rows.some((row) => alreadyWaiting(row, now))} intervalMs={2000} />
      <header>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="mt-1 text-sm text-slate-600">{t("lead")}</p>
      </header>
      {nothingYet ? (
        <Card aria-labelledby="stripe-connect-title" data-testid="gateway-events-empty">
          <CardTitle id="stripe-connect-title">{t("connect.heading")}</CardTitle>
          <p className="mb-3 text-sm text-slate-700">{t("empty.none")}</p>
          <ConnectHelp url={url} events={HANDLED_STRIPE_EVENTS} />
        </Card>
      ) : (
        <>
          <details className="rounded-lg border border-slate-200 bg-white px-4 py-3">
            <summary className="cursor-pointer text-sm font-medium text-sky-800">{t("connect.summary")}</summary>
            <div className="mt-3">
              <ConnectHelp url={url} events={HANDLED_STRIPE_EVENTS} />
            </div>
          </details>
          <EventFilters types={HANDLED_STRIPE_EVENTS} />
          {page.rows.length > 0 ? (
            <>
              <p className="text-sm text-slate-700" data-testid="gateway-events-summary">
                {t("summary", { count: page.rows.length })}
              </p>
              <EventsTable rows={page.rows} />
            </>
          ) : (
            <div className="flex flex-col items-start gap-2 rounded-lg border border-dashed border-slate-300 bg-white p-6" data-testid="gateway-events-no-match">
              <p className="text-sm text-slate-700">{filters.after && !filtered ? t("empty.pastEnd") : t("empty.noMatch")}</p>
              <Link href={STRIPE_EVENTS_PATH} className={link}>
                {filtered ? t("filters.clear") : t("newest")}
              </Link>
            </div>
          )}
          {filters.after || page.hasMore ? (
            <nav aria-label={t("pagination")} className="flex gap-4 text-sm">
              {filters.after ? (
                <Link href={`${STRIPE_EVENTS_PATH}${gatewayEventSearchHref({ ...state, after: null })}`} className={link}>
                  {t("newest")}
                </Link>
              ) : null}
              {page.hasMore ? (
                <Link href={`${STRIPE_EVENTS_PATH}${gatewayEventSearchHref({ ...state, after: page.rows.at(-1)!.id })}`} className={link}>
                  {t("older")}
                </Link>
              ) : null}
            </nav>
          ) : null}
        </>
      )}
    </div>
  );
}
