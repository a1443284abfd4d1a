import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { LiveRefresh } from "@/components/console/live-refresh";
import { Badge } from "@/components/ui/badge";
import { requireStaff } from "@/lib/console/staff-context";
import { staffMay } from "@/lib/services/authorize";
import { endpointDeliveryLog, listWebhookEndpoints, pendingDeliveryCounts } from "@/lib/services/queries/webhooks";
import { CreateEndpointDialog } from "./_components/create-endpoint-dialog";
import { DeliveryLog } from "./_components/delivery-log";
import { EditEndpointDialog } from "./_components/edit-endpoint-dialog";
import { EndpointActions } from "./_components/endpoint-actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("webhooks"))("title") };
}

/** A merchant keeps a handful of endpoints: the page lists them all. */
const ENDPOINT_LIMIT = 100;

/**
 * Webhook: the merchant's endpoints (add with the secret shown once, edit events, disable / enable, delete) and, for
 * the chosen one (`?endpoint=`), its delivery log with each request and answer and "resend". While deliveries wait,
 * the page asks for itself again, so an attempt shows up without reloading.
 */
export default async function WebhooksPage({ searchParams }: { searchParams: Promise<{ endpoint?: string }> }) {
  const { ctx, staff } = await requireStaff();
  const [t, tErrors, format, page, params] = await Promise.all([getTranslations("webhooks"), getTranslations("errors"), getFormatter(), listWebhookEndpoints(ctx, { limit: ENDPOINT_LIMIT }), searchParams]);
  const endpoints = page.rows;
  const readOnlyReason = staffMay(staff.role, "webhooks.manage") ? null : t("readOnly");
  const selected = endpoints.find((e) => e.id === params.endpoint) ?? endpoints[0] ?? null;
  const [pending, log] = await Promise.all([pendingDeliveryCounts(ctx, endpoints.map((e) => e.id)), selected ? endpointDeliveryLog(ctx, selected.id) : Promise.resolve([])]);
  const waiting = endpoints.some((e) => e.status === "enabled" && (pending.get(e.id) ?? 0) > 0);
  return (
    <div className="flex max-w-5xl flex-col gap-6">
      <LiveRefresh running={waiting} intervalMs={2000} />
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">{t("title")}</h1>
          <p className="mt-1 text-sm text-slate-600">{t("lead")}</p>
        </div>
        <CreateEndpointDialog disabledReason={readOnlyReason} />
      </header>
      {endpoints.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6">
          <p className="text-sm text-slate-700">{t("empty")}</p>
        </div>
      ) : (
        <ul className="flex flex-col gap-3">
          {endpoints.map((endpoint) => {
            const enabled = endpoint.status === "enabled";
            const count = pending.get(endpoint.id) ?? 0;
            const shown = selected?.id === endpoint.id;
            return (
              <li key={endpoint.id} data-testid={`endpoint-${endpoint.id}`} className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4">
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div className="min-w-0">
                    <p className="break-all font-mono text-sm font-medium text-slate-900">{endpoint.url}</p>
                    <p className="text-sm text-slate-600">{endpoint.description || t("endpoint.noDescription")}</p>
                  </div>
                  <div className="flex flex-wrap items-center gap-2">
                    {enabled ? <Badge tone="success">{t("status.enabled")}</Badge> : <Badge tone="muted">{endpoint.disabledReason === "failing" ? t("status.failing") : t("status.disabled")}</Badge>}
                    {count > 0 ? <Badge tone="info">{t("endpoint.pending", { count })}</Badge> : null}
                  </div>
                </div>
                <p className="text-sm text-slate-700">
                  <span className="font-medium">{t("endpoint.events")}: </span>
                  {endpoint.enabledEvents.includes("*") ? t("allEvents") : endpoint.enabledEvents.join(", ")}
                </p>
                {endpoint.failingSince && enabled ? (
                  <p className="text-sm text-amber-900">{t("endpoint.failingSince", { since: format.dateTime(endpoint.failingSince, { dateStyle: "medium", timeStyle: "short" }) })}</p>
                ) : null}
                <div className="flex flex-wrap items-center gap-2">
                  {shown ? (
                    <span className="text-sm font-medium text-slate-700" aria-current="true">
                      {t("endpoint.logShown")}
                    </span>
                  ) : (
                    <Link href={`/console/settings/webhooks?endpoint=${endpoint.id}`} className="text-sm text-sky-800 underline underline-offset-2">
                      {t("endpoint.showLog")}
                    </Link>
                  )}
                  <EditEndpointDialog endpoint={{ id: endpoint.id, url: endpoint.url, description: endpoint.description, enabledEvents: endpoint.enabledEvents }} disabledReason={readOnlyReason} />
                  <EndpointActions endpoint={{ id: endpoint.id, url: endpoint.url, enabled }} disabledReason={readOnlyReason} />
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {selected ? (
        <DeliveryLog
          endpoint={{ id: selected.id, url: selected.url }}
          rows={log}
          resendReason={readOnlyReason ?? (selected.status === "enabled" ? null : tErrors("reasons.endpoint_disabled"))}
        />
      ) : null}
    </div>
  );
}
