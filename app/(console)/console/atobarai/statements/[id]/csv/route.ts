import { createTranslator } from "next-intl";
import { localDateOf } from "@/lib/billing/calendar";
import { consoleCsvDownload } from "@/lib/console/csv-download-route";
import { csvStream } from "@/lib/csv/csv-download";
import { getAtobaraiStatement } from "@/lib/services/queries/atobarai-money";
import { MESSAGES } from "@/messages";

/** GET /console/atobarai/statements/<id>/csv?encoding=utf8|shift_jis: the statement's lines, signed yen, one per row. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return consoleCsvDownload(request, async ({ staff, ctx }, _params, encoding) => {
    const view = await getAtobaraiStatement(ctx, id);
    const t = createTranslator({ locale: staff.locale, messages: MESSAGES[staff.locale], namespace: "atobaraiMoney.statements" });
    const header = [t("csv.kind"), t("csv.orderRef"), t("csv.orderId"), t("csv.buyer"), t("csv.shippedOn"), t("csv.amount")];
    const rows = view.lines.map((line) => [t(`detail.kinds.${line.kind}`), line.orderRef, line.orderId, line.buyerName, line.shippedAt ? localDateOf(line.shippedAt, view.merchant.timeZone).toString() : "", line.amount]);
    async function* batches() {
      yield rows;
    }
    return { fileName: t("csv.fileName", { end: view.statement.periodEnd }), body: csvStream(header, batches(), encoding) };
  });
}
