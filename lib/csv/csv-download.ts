import { stringify } from "csv-stringify/sync";
import iconv from "iconv-lite";

/**
 * How a CSV file is written for the people who open it: UTF-8 with a byte-order mark (Excel then reads Japanese
 * correctly) or Shift_JIS as Windows writes it (CP932, for older Excel and accounting software). Characters CP932
 * lacks (emoji, some rare kanji) come out as "?".
 */
export const CSV_ENCODINGS = ["utf8", "shift_jis"] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

export type CsvCell = string | number | null | undefined;

const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);
const utf8 = new TextEncoder();

function encode(text: string, encoding: CsvEncoding): Uint8Array {
  return encoding === "shift_jis" ? new Uint8Array(iconv.encode(text, "cp932")) : utf8.encode(text);
}

/**
 * A CSV file as a stream: the header, then each batch of rows as it arrives, so that memory stays flat however many
 * rows there are (the caller reads them in batches, e.g. by keyset pages). CRLF line ends, as Excel writes them.
 */
export function csvStream(header: readonly string[], batches: AsyncIterable<readonly (readonly CsvCell[])[]>, encoding: CsvEncoding): ReadableStream<Uint8Array> {
  const iterator = batches[Symbol.asyncIterator]();
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        if (encoding === "utf8") controller.enqueue(BOM);
        controller.enqueue(encode(stringify([header], { record_delimiter: "\r\n" }), encoding));
        return;
      }
      const next = await iterator.next();
      if (next.done) {
        controller.close();
        return;
      }
      const rows = next.value.map((row) => row.map((cell) => (cell === null || cell === undefined ? "" : cell)));
      if (rows.length > 0) controller.enqueue(encode(stringify(rows, { record_delimiter: "\r\n" }), encoding));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** A download of that stream: the file name in ASCII and, for Japanese names, RFC 5987's UTF-8 form. */
export function csvDownloadResponse(fileName: string, body: ReadableStream<Uint8Array>, encoding: CsvEncoding): Response {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return new Response(body, {
    headers: {
      "content-type": `text/csv; charset=${encoding === "shift_jis" ? "Shift_JIS" : "utf-8"}`,
      "content-disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      "cache-control": "no-store",
    },
  });
}
