import { getFormatter, getTranslations } from "next-intl/server";
import { CSV_ENCODINGS, type CsvEncoding, csvDownloadResponse, csvStream } from "@/lib/csv/csv-download";
import { staffSession } from "@/lib/console/staff-context";
import { ServiceError } from "@/lib/services/errors";
import { bulkJobItemBatches, type BulkJobView, getBulkJob } from "@/lib/services/queries/bulk-jobs";
import { itemReasonText } from "../../_components/job-text";

/**
 * A job's results as CSV (結果のCSV): every row in order, read in batches as the file streams, with Japanese headers
 * and texts (or English, the staff member's language), in UTF-8 with a BOM or Shift_JIS (?encoding=shift_jis).
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const session = await staffSession();
  if (!session) return new Response(null, { status: 401 });
  const { id } = await params;
  const asked = new URL(request.url).searchParams.get("encoding");
  const encoding: CsvEncoding = (CSV_ENCODINGS as readonly string[]).includes(asked ?? "") ? (asked as CsvEncoding) : "utf8";
  let job: BulkJobView;
  try {
    job = await getBulkJob(session.ctx, id);
  } catch (error) {
    if (error instanceof ServiceError && error.code === "not_found") return new Response(null, { status: 404 });
    throw error;
  }
  const [t, tStatus, tDeclines, format] = await Promise.all([getTranslations("jobs"), getTranslations("common.status"), getTranslations("declines"), getFormatter()]);
  const tResult = await getTranslations("jobs.result");
  const header = (["position", "subscriptionId", "customer", "contractStatus", "result", "reason", "completedAt"] as const).map((key) => t(`csv.header.${key}`));
  const { kind } = job;
  async function* rows() {
    for await (const batch of bulkJobItemBatches(session!.ctx, id)) {
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
  return csvDownloadResponse(t("csv.fileName", { id }), csvStream(header, rows(), encoding), encoding);
}
