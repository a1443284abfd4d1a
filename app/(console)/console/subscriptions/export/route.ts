import { createTranslator } from "next-intl";
import { localDateOf } from "@/lib/billing/calendar";
import { consoleCsvDownload } from "@/lib/console/csv-download-route";
import { DEFAULT_COLUMNS } from "@/lib/console/subscription-columns";
import { exportSubscriptions } from "@/lib/services/export-subscriptions";
import { MESSAGES } from "@/messages";
import { loadSearchState, toFiltersInput } from "../search-params";

/**
 * GET /console/subscriptions/export?<the workspace's search>&encoding=utf8|shift_jis: every contract the search
 * matches, as a CSV download with the visible columns (the service refuses viewers).
 */
export async function GET(request: Request): Promise<Response> {
  return consoleCsvDownload(request, async ({ staff, ctx }, params, encoding) => {
    const state = loadSearchState(params);
    const messages = MESSAGES[staff.locale];
    const t = createTranslator({ locale: staff.locale, messages, namespace: "subscriptions" });
    const common = createTranslator({ locale: staff.locale, messages, namespace: "common" });
    const body = await exportSubscriptions(
      ctx,
      { filters: toFiltersInput(state), columns: state.cols ?? [...DEFAULT_COLUMNS], encoding },
      { header: (field) => t(`csv.${field}`), status: (status) => common(`status.${status}`), actionKind: (kind) => common(`actionKind.${kind}`) },
    );
    return { fileName: t("csv.fileName", { date: localDateOf(ctx.clock.now(), staff.merchant.timeZone).toString() }), body };
  });
}
