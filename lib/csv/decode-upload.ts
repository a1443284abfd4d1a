import iconv from "iconv-lite";
import Papa from "papaparse";

export type UploadEncoding = "utf-8" | "shift_jis";

/**
 * The text of an uploaded CSV: UTF-8 (with or without a BOM) when the bytes are valid UTF-8, Shift_JIS otherwise
 * (what Excel on a Japanese Windows saves). Shift_JIS text is almost never valid UTF-8, so the guess is safe.
 */
export function decodeUpload(bytes: Uint8Array): { text: string; encoding: UploadEncoding } {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return { text: text.replace(/^\uFEFF/, ""), encoding: "utf-8" };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes), "Shift_JIS"), encoding: "shift_jis" };
  }
}

/**
 * The rows of a CSV with a header line, keyed by the canonical name of each column: `columns` maps a canonical name
 * to the headers that mean it (Japanese and English). Row numbers are the file's line numbers (the header is 1).
 */
export function parseCsvRows<K extends string>(text: string, columns: Record<K, readonly string[]>): { rows: { row: number; values: Partial<Record<K, string>> }[]; unknownHeaders: string[] } {
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: "greedy" });
  const [header = [], ...data] = parsed.data;
  const lookup = new Map<string, K>();
  for (const [name, aliases] of Object.entries(columns) as [K, readonly string[]][]) for (const alias of [name, ...aliases]) lookup.set(normalizeHeader(alias), name);
  const keys = header.map((h) => lookup.get(normalizeHeader(h)) ?? null);
  const unknownHeaders = header.filter((_, i) => keys[i] === null && header[i]!.trim() !== "");
  return {
    rows: data.map((cells, i) => {
      const values: Partial<Record<K, string>> = {};
      cells.forEach((cell, j) => {
        const key = keys[j];
        if (key && cell.trim() !== "") values[key] = cell.trim();
      });
      return { row: i + 2, values };
    }),
    unknownHeaders,
  };
}

const normalizeHeader = (h: string) => h.normalize("NFKC").trim().toLowerCase().replace(/[\s_-]+/g, "");
