import path from "node:path";
import PDFDocument from "pdfkit";

/**
 * Noto Sans JP, embedded (subset to the glyphs used): PDF viewers have no Japanese font of their own to fall back on.
 * A full TTF from npm, read from node_modules at run time (pdfkit is a server external package, next.config.ts).
 */
const FONT = path.join(process.cwd(), "node_modules/@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf");
const BOLD = path.join(process.cwd(), "node_modules/@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf");

/**
 * An A4 document with the Japanese fonts registered as "body" and "bold", the width between its margins, and the
 * bytes once `doc.end()` is called (receipts, 後払い invoices). With a CreationDate the bytes depend on the content
 * only (pdfkit derives the file ID from the info, and stamps the time of rendering otherwise): a document mailed again
 * after a crash is then the same file, and so the same request to the mail provider.
 */
export function japanesePdf(info: { Title: string; Author: string; CreationDate?: Date }, margin = 56) {
  const doc = new PDFDocument({ size: "A4", margin, info });
  doc.registerFont("body", FONT);
  doc.registerFont("bold", BOLD);
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const left = doc.page.margins.left;
  return { doc, done, left, width: doc.page.width - left - doc.page.margins.right };
}
