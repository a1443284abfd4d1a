import { createTranslator } from "next-intl";
import { localDateOf } from "@/lib/billing/calendar";
import { consoleCsvDownload } from "@/lib/console/csv-download-route";
import { exportAuditLog } from "@/lib/services/export-audit-log";
import { MESSAGES } from "@/messages";
import { loadAuditSearch, toAuditFilters } from "../search-params";

/**
 * GET /console/audit/export?<the page's filters>&encoding=utf8|shift_jis: every audit row the filters match, as a CSV
 * download (the service refuses all but owners and admins).
 */
export async function GET(request: Request): Promise<Response> {
  return consoleCsvDownload(request, async ({ staff, ctx }, params, encoding) => {
    const t = createTranslator({ locale: staff.locale, messages: MESSAGES[staff.locale], namespace: "audit" });
    const body = await exportAuditLog(
      ctx,
      { filters: toAuditFilters(loadAuditSearch(params)), encoding },
      {
        header: t.raw("csv.header") as string[],
        action: (code) => (t.has(`actions.${code}` as Parameters<typeof t>[0]) ? t(`actions.${code}` as Parameters<typeof t>[0]) : code),
        actorType: (type) => t(`actorType.${type}`),
      },
    );
    return { fileName: t("csv.fileName", { date: localDateOf(ctx.clock.now(), staff.merchant.timeZone).toString() }), body };
  });
}
