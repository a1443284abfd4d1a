import { createTranslator } from "next-intl";
import { localDateOf } from "@/lib/billing/calendar";
import { serviceErrorMessage } from "@/lib/console/action";
import { staffSession } from "@/lib/console/staff-context";
import { csvDownloadResponse, CSV_ENCODINGS, type CsvEncoding } from "@/lib/csv/csv-download";
import { ServiceError } from "@/lib/services/errors";
import { exportAuditLog } from "@/lib/services/export-audit-log";
import { MESSAGES } from "@/messages";
import { loadAuditSearch, toAuditFilters } from "../search-params";

/**
 * GET /console/audit/export?<the page's filters>&encoding=utf8|shift_jis: every audit row the filters match, as a CSV
 * download. The session and the role are checked here again (the service refuses all but owners and admins).
 */
export async function GET(request: Request): Promise<Response> {
  const session = await staffSession();
  if (!session) return new Response(null, { status: 401 });
  const { staff, ctx } = session;
  const url = new URL(request.url);
  const encodingParam = url.searchParams.get("encoding") ?? "utf8";
  const encoding: CsvEncoding = (CSV_ENCODINGS as readonly string[]).includes(encodingParam) ? (encodingParam as CsvEncoding) : "utf8";
  const t = createTranslator({ locale: staff.locale, messages: MESSAGES[staff.locale], namespace: "audit" });
  try {
    const body = await exportAuditLog(
      ctx,
      { filters: toAuditFilters(loadAuditSearch(url.searchParams)), encoding },
      {
        header: t.raw("csv.header") as string[],
        action: (code) => (t.has(`actions.${code}` as Parameters<typeof t>[0]) ? t(`actions.${code}` as Parameters<typeof t>[0]) : code),
        actorType: (type) => t(`actorType.${type}`),
      },
    );
    const today = localDateOf(ctx.clock.now(), staff.merchant.timeZone).toString();
    return csvDownloadResponse(t("csv.fileName", { date: today }), body, encoding);
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    const status = error.code === "forbidden" ? 403 : error.code === "invalid" ? 400 : 409;
    return new Response(await serviceErrorMessage(error), { status, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
}
