import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { ArrowLeft } from "lucide-react";
import { DateText } from "@/components/console/date-text";
import { LiveRefresh } from "@/components/console/live-refresh";
import { Card, CardTitle } from "@/components/ui/card";
import { requireStaff } from "@/lib/console/staff-context";
import { staffMay } from "@/lib/services/authorize";
import { alreadyWaiting } from "@/lib/services/queries/gateway-event-search";
import { ServiceError } from "@/lib/services/errors";
import { getGatewayEvent } from "@/lib/services/queries/gateway-events";
import { GatewayEventOutcome, GatewayEventStatusBadge } from "../_components/event-status";
import { ReprocessButton } from "../_components/reprocess-button";
import { STRIPE_EVENTS_PATH } from "../search-params";

async function eventOf(ctx: Parameters<typeof getGatewayEvent>[0], id: string) {
  try {
    return await getGatewayEvent(ctx, id);
  } catch (error) {
    // Another merchant's event, or none: the same "not found" either way.
    if (error instanceof ServiceError && error.code === "not_found") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const [t, { ctx }, { id }] = await Promise.all([getTranslations("gatewayEvents"), requireStaff(), params]);
  const event = await getGatewayEvent(ctx, id).catch(() => null);
  return { title: event ? `${event.type} · ${t("title")}` : t("title") };
}

/**
 * One received event: what processing found, the error if it failed, 「もう一度処理する」 (owners and admins; not while
 * it already waits), and the payload as Stripe sent it. While it waits the page asks for itself again.
 */
export default async function StripeEventPage({ params }: { params: Promise<{ id: string }> }) {
  const { ctx, staff } = await requireStaff();
  const { id } = await params;
  const [t, event] = await Promise.all([getTranslations("gatewayEvents"), eventOf(ctx, id)]);
  const waiting = alreadyWaiting(event, ctx.clock.now());
  const disabledReason = !staffMay(staff.role, "webhooks.manage") ? t("reprocess.readOnly") : waiting ? t("reprocess.waiting") : null;
  const facts: [string, ReactNode][] = [
    [t("detail.eventId"), <code key="e">{event.eventId}</code>],
    [t("detail.objectId"), <code key="o">{event.objectId ?? t("detail.notYet")}</code>],
    [t("detail.status"), <GatewayEventStatusBadge key="s" status={event.status} />],
    [t("detail.outcome"), <GatewayEventOutcome key="r" outcome={event.outcome} />],
    [t("detail.occurredAt"), <DateText key="oa" value={event.occurredAt} withTime />],
    [t("detail.receivedAt"), <DateText key="ra" value={event.receivedAt} withTime />],
    [t("detail.processedAt"), event.processedAt ? <DateText key="pa" value={event.processedAt} withTime /> : t("detail.notYet")],
    [t("detail.attempts"), <span key="a" className="tabular-nums">{event.attempts}</span>],
    [t("detail.mode"), event.livemode === "live" ? t("detail.live") : t("detail.test")],
  ];
  if (event.status === "pending" && event.nextAttemptAt) facts.push([t("detail.nextAttemptAt"), <DateText key="n" value={event.nextAttemptAt} withTime />]);
  return (
    <div className="flex max-w-5xl flex-col gap-5">
      <LiveRefresh running={waiting} intervalMs={1500} />
      <Link href={STRIPE_EVENTS_PATH} className="flex w-fit items-center gap-1 text-sm font-medium text-sky-800 underline underline-offset-2">
        <ArrowLeft className="h-4 w-4" aria-hidden />
        {t("detail.back")}
      </Link>
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="font-mono text-2xl font-bold break-all">{event.type}</h1>
          <p className="mt-1 text-sm text-slate-600">{t("title")}</p>
        </div>
        <ReprocessButton id={event.id} disabledReason={disabledReason} />
      </header>
      <Card aria-labelledby="event-facts-title">
        <CardTitle id="event-facts-title">{t("detail.heading")}</CardTitle>
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]" data-testid="gateway-event-facts">
          {facts.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="font-medium text-slate-700">{label}</dt>
              <dd className="break-all">{value}</dd>
            </div>
          ))}
        </dl>
        {event.lastError ? (
          <div className="mt-4 rounded-md border border-red-200 bg-red-50 p-3" data-testid="gateway-event-error">
            <p className="text-sm font-medium text-red-900">{t("detail.error")}</p>
            <p className="mt-1 text-sm break-words whitespace-pre-wrap text-red-900">{event.lastError}</p>
          </div>
        ) : null}
      </Card>
      <Card aria-labelledby="event-payload-title">
        <CardTitle id="event-payload-title">{t("detail.payload")}</CardTitle>
        <pre tabIndex={0} aria-labelledby="event-payload-title" className="max-h-[32rem] overflow-auto rounded bg-slate-50 p-3 font-mono text-xs break-all whitespace-pre-wrap text-slate-900" data-testid="gateway-event-payload">
          {JSON.stringify(event.payload, null, 2)}
        </pre>
      </Card>
    </div>
  );
}
