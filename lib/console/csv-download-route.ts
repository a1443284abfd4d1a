import { serviceErrorMessage } from "@/lib/console/action";
import { type StaffSession, staffSession } from "@/lib/console/staff-context";
import { CSV_ENCODINGS, type CsvEncoding, csvDownloadResponse } from "@/lib/csv/csv-download";
import { ServiceError, type ServiceErrorCode } from "@/lib/services/errors";

const STATUS_OF: Partial<Record<ServiceErrorCode, number>> = { forbidden: 403, invalid: 400, not_found: 404 };

export type CsvDownload = { fileName: string; body: ReadableStream<Uint8Array> };

/**
 * The console's CSV downloads (a search of contracts, the audit log, a job's results): the session is read again
 * (the proxy only saw a cookie), ?encoding= picks UTF-8 with a BOM (the default) or Shift_JIS, and a refusal of the
 * service is answered with its status and its message in the staff member's language.
 */
export async function consoleCsvDownload(request: Request, make: (session: StaffSession, params: URLSearchParams, encoding: CsvEncoding) => Promise<CsvDownload>): Promise<Response> {
  const session = await staffSession();
  if (!session) return new Response(null, { status: 401 });
  const params = new URL(request.url).searchParams;
  const asked = params.get("encoding") ?? "";
  const encoding: CsvEncoding = (CSV_ENCODINGS as readonly string[]).includes(asked) ? (asked as CsvEncoding) : "utf8";
  try {
    const { fileName, body } = await make(session, params, encoding);
    return csvDownloadResponse(fileName, body, encoding);
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    return new Response(await serviceErrorMessage(error), { status: STATUS_OF[error.code] ?? 409, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
}
