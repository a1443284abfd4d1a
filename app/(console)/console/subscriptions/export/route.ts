import { createTranslator } from "next-intl";
import { csvDownloadResponse, CSV_ENCODINGS, type CsvEncoding } from "@/lib/csv/csv-download";
import { localDateOf } from "@/lib/billing/calendar";
import { DEFAULT_COLUMNS } from "@/lib/console/subscription-columns";
import { staffSession } from "@/lib/console/staff-context";
import { serviceErrorMessage } from "@/lib/console/action";
import { ServiceError } from "@/lib/services/errors";
import { exportSubscriptions } from "@/lib/services/export-subscriptions";
import { MESSAGES } from "@/messages";
import { loadSearchState, toFiltersInput } from "../search-params";

/**
 * GET /console/subscriptions/export?<the workspace's search>&encoding=utf8|shift_jis: every contract the search
 * matches, as a CSV download with the visible columns. The proxy lets only signed-in staff this far; the session,
 * the merchant and the role are checked here again (the service refuses viewers), as for every console request.
 */
export async function GET(request: Request): Promise<Response> {
  const session = await staffSession();
  if (!session) return new Response(null, { status: 401 });
  const { staff, ctx } = session;
  const url = new URL(request.url);
  const state = loadSearchState(url.searchParams);
  const encodingParam = url.searchParams.get("encoding") ?? "utf8";
  const encoding: CsvEncoding = (CSV_ENCODINGS as readonly string[]).includes(encodingParam) ? (encodingParam as CsvEncoding) : "utf8";
  const messages = MESSAGES[staff.locale];
  const t = createTranslator({ locale: staff.locale, messages, namespace: "subscriptions" });
  const common = createTranslator({ locale: staff.locale, messages, namespace: "common" });
  try {
    const body = await exportSubscriptions(
      ctx,
      { filters: toFiltersInput(state), columns: state.cols ?? [...DEFAULT_COLUMNS], encoding },
      { header: (field) => t(`csv.${field}`), status: (status) => common(`status.${status}`), actionKind: (kind) => common(`actionKind.${kind}`) },
    );
    const today = localDateOf(ctx.clock.now(), staff.merchant.timeZone).toString();
    return csvDownloadResponse(t("csv.fileName", { date: today }), body, encoding);
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    const status = error.code === "forbidden" ? 403 : error.code === "invalid" ? 400 : 409;
    return new Response(await serviceErrorMessage(error), { status, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
}
