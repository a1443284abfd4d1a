import path from "node:path";
import PDFDocument from "pdfkit";

/**
 * Noto Sans JP, embedded (subset to the glyphs used): PDF viewers have no Japanese font of their own to fall back on.
 * A full TTF from npm, read from node_modules at run time (pdfkit is a server external package, next.config.ts, whose
 * outputFileTracingIncludes names the routes that need these files).
 */
const FONT = path.join(process.cwd(), "node_modules/@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf");
const BOLD = path.join(process.cwd(), "node_modules/@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf");

/** An A4 document with the fonts "body" and "bold" registered, and the whole file once `doc.end()` is called. */
export function japanesePdf(options: { margin: number; title: string; author: string }): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  const doc = new PDFDocument({ size: "A4", margin: options.margin, info: { Title: options.title, Author: options.author } });
  doc.registerFont("body", FONT);
  doc.registerFont("bold", BOLD);
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  return { doc, done };
}
