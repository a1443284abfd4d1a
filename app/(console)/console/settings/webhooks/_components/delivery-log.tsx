import { useTranslations } from "next-intl";
import { DateText } from "@/components/console/date-text";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { DELIVERY_LOG_LIMIT, type DeliveryLogEntry } from "@/lib/services/queries/webhooks";
import { ResendButton } from "./resend-button";

/** One endpoint's latest attempts, newest first: what was sent, what came back, and "resend" for each event. */
export function DeliveryLog({ endpoint, rows, resendReason }: { endpoint: { id: string; url: string }; rows: DeliveryLogEntry[]; resendReason: string | null }) {
  const t = useTranslations("webhooks.log");
  return (
    <section aria-labelledby="delivery-log-title" className="flex flex-col gap-3">
      <h2 id="delivery-log-title" className="break-all text-lg font-semibold">
        {t("title", { url: endpoint.url })}
      </h2>
      {rows.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6">
          <p className="text-sm text-slate-700">{t("empty")}</p>
        </div>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <Table>
            <caption className="sr-only">{t("caption", { count: DELIVERY_LOG_LIMIT })}</caption>
            <THead>
              <TR>
                <TH scope="col">{t("at")}</TH>
                <TH scope="col">{t("event")}</TH>
                <TH scope="col">{t("result")}</TH>
                <TH scope="col">{t("duration")}</TH>
                <TH scope="col">
                  <span className="sr-only">{t("resend")}</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {rows.map((row) => {
                const ok = row.statusCode !== null && row.statusCode >= 200 && row.statusCode < 300;
                return (
                  <TR key={row.id} data-testid={`attempt-${row.id}`}>
                    <TD className="whitespace-nowrap align-top">
                      <DateText value={row.at} withTime />
                      <div className="text-xs text-slate-600">
                        {t("attempt", { n: row.attemptNumber })}
                        {row.resend ? ` · ${t("resent")}` : ""}
                      </div>
                    </TD>
                    <TD className="align-top">
                      <div className="font-medium">{row.eventType}</div>
                      <code className="text-xs text-slate-600">{row.eventId}</code>
                      <details className="mt-2 max-w-xl">
                        <summary className="cursor-pointer text-sm text-sky-800 underline-offset-2 hover:underline">{t("details")}</summary>
                        <div className="mt-2 flex flex-col gap-2 text-xs">
                          <div>
                            <div className="font-medium text-slate-800">{t("requestHeaders")}</div>
                            <pre className="overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2">
                              {Object.entries(row.requestHeaders)
                                .map(([k, v]) => `${k}: ${v}`)
                                .join("\n")}
                            </pre>
                          </div>
                          <div>
                            <div className="font-medium text-slate-800">{t("requestBody")}</div>
                            <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2">{row.requestBody}</pre>
                          </div>
                          <div>
                            <div className="font-medium text-slate-800">{t("responseBody")}</div>
                            <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2">{row.responseBody || t("noResponse")}</pre>
                          </div>
                        </div>
                      </details>
                    </TD>
                    <TD className="align-top">
                      {ok ? <Badge tone="success">{t("ok", { code: row.statusCode! })}</Badge> : <Badge tone="danger">{row.statusCode !== null ? t("failed", { code: row.statusCode }) : t("error")}</Badge>}
                      {row.error ? <p className="mt-1 max-w-xs break-words text-xs text-red-800">{row.error}</p> : null}
                    </TD>
                    <TD className="whitespace-nowrap align-top">{t("durationValue", { ms: row.durationMs })}</TD>
                    <TD className="align-top">
                      <ResendButton endpointId={endpoint.id} eventId={row.eventId} type={row.eventType} disabledReason={resendReason} />
                    </TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        </div>
      )}
    </section>
  );
}
