import { getFormatter, getTranslations } from "next-intl/server";
import { consoleCsvDownload } from "@/lib/console/csv-download-route";
import { csvStream } from "@/lib/csv/csv-download";
import { bulkJobItemBatches, getBulkJob } from "@/lib/services/queries/bulk-jobs";
import { itemReasonText } from "../../_components/job-text";

/**
 * A job's results as CSV (結果のCSV): every row in order, read in batches as the file streams, with Japanese headers
 * and texts (or English, the staff member's language), in UTF-8 with a BOM or Shift_JIS (?encoding=shift_jis).
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return consoleCsvDownload(request, async ({ ctx }, _params, encoding) => {
    // Another merchant's job, like an unknown id, is a 404.
    const job = await getBulkJob(ctx, id);
    const [t, tStatus, tDeclines, format] = await Promise.all([getTranslations("jobs"), getTranslations("common.status"), getTranslations("declines"), getFormatter()]);
    const tResult = await getTranslations("jobs.result");
    const header = (["position", "subscriptionId", "customer", "contractStatus", "result", "reason", "completedAt"] as const).map((key) => t(`csv.header.${key}`));
    const { kind } = job;
    async function* rows() {
      for await (const batch of bulkJobItemBatches(ctx, id)) {
        yield batch.map((item) => [
          item.position + 1,
          item.subscriptionId,
          item.customerName,
          tStatus(item.contractStatus),
          tResult(item.status),
          itemReasonText(t, tStatus, tDeclines, kind, item),
          item.completedAt ? format.dateTime(item.completedAt, { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }) : "",
        ]);
      }
    }
    return { fileName: t("csv.fileName", { id }), body: csvStream(header, rows(), encoding) };
  });
}
