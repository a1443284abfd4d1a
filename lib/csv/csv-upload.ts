import iconv from "iconv-lite";
import Papa from "papaparse";

export type UploadEncoding = "utf-8" | "shift_jis";

/**
 * A CSV file as uploaded, made text: UTF-8 (with or without a BOM) when it decodes as UTF-8, Shift_JIS otherwise
 * (what Excel on Japanese Windows saves). Strict UTF-8 first: Shift_JIS bytes are almost never valid UTF-8.
 */
export function decodeCsvUpload(bytes: Uint8Array): { text: string; encoding: UploadEncoding } {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return { text: text.replace(/^\uFEFF/, ""), encoding: "utf-8" };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes), "Shift_JIS"), encoding: "shift_jis" };
  }
}

/** A data row: its line number in the file (the header is line 1) and its cells by column key. */
export type CsvUploadRow = { line: number; cells: Record<string, string> };

/**
 * Parses the text with a header row whose titles are matched to column keys through `columns` (each key may be
 * titled several ways, e.g. Japanese and English; the key itself is a title too). Blank rows are skipped; unknown
 * titles are reported (or, with `ignoreUnknownColumns`, their columns skipped: files made by other systems, such as
 * payment notices, carry columns of their own), as are required columns that are missing.
 */
export function parseCsvUpload<K extends string>(
  text: string,
  columns: Record<K, readonly string[]>,
  required: readonly K[],
  options: { ignoreUnknownColumns?: boolean } = {},
): { ok: true; rows: CsvUploadRow[] } | { ok: false; problem: "empty" | "unknown_column" | "missing_column" | "malformed"; detail: string } {
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: "greedy" });
  const [header, ...data] = parsed.data;
  if (!header || header.every((h) => !h.trim())) return { ok: false, problem: "empty", detail: "" };
  const byTitle = new Map<string, K>();
  for (const key of Object.keys(columns) as K[]) for (const title of [key, ...columns[key]]) byTitle.set(title.normalize("NFKC").trim().toLowerCase(), key);
  const keys: (K | null)[] = [];
  for (const title of header) {
    const key = byTitle.get(title.normalize("NFKC").trim().toLowerCase());
    if (!key && !options.ignoreUnknownColumns) return { ok: false, problem: "unknown_column", detail: title };
    keys.push(key ?? null);
  }
  const missing = required.find((k) => !keys.includes(k));
  if (missing) return { ok: false, problem: "missing_column", detail: columns[missing][0] ?? missing };
  const quoteError = parsed.errors.find((e) => e.type === "Quotes");
  if (quoteError) return { ok: false, problem: "malformed", detail: `line ${(quoteError.row ?? 0) + 2}` };
  // Rows are numbered as a spreadsheet shows them when the file has no blank lines: the header is 1.
  return {
    ok: true,
    rows: data.map((cells, i) => ({ line: i + 2, cells: Object.fromEntries(keys.flatMap((k, j) => (k ? [[k, (cells[j] ?? "").trim()]] : []))) })),
  };
}
