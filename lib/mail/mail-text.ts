import type { MailLocale } from "./default-copy";
import type { Block, Line } from "./mail-body";
import type { ReceiptRows } from "./receipt-rows";

const RULE = "------------------------------------------------------------";

function lineText(line: Line): string {
  return line.map((segment) => segment.text).join("");
}

function receiptText(rows: ReceiptRows, locale: MailLocale): string {
  const ja = locale === "ja";
  const row = (r: { label: string; value: string }) => `${r.label}${ja ? "　" : ": "}${r.value}`;
  const detail = (r: { label: string; value: string }) => `${r.label}${ja ? "：" : ": "}${r.value}`;
  return [ja ? `■${rows.heading}` : rows.heading, ...rows.lines.map(row), ...rows.taxes.map(row), row(rows.total), ...rows.details.map(detail)].join("\n");
}

/**
 * The plain-text part, written from the same blocks as the HTML rather than scraped from it: it reads like the text
 * the merchant (or Keizoku's copy) wrote, the receipt as aligned rows and the button as its URL.
 */
export function mailText({ locale, blocks, receipt, footer }: { locale: MailLocale; blocks: Block[]; receipt: ReceiptRows | null; footer: Line[][] }): string {
  let out = "";
  const add = (text: string, joined = false) => {
    out += out === "" ? text : `${joined ? "\n" : "\n\n"}${text}`;
  };
  for (const block of blocks) {
    if (block.kind === "paragraph") add(block.lines.map(lineText).join("\n"), block.joined);
    else if (block.kind === "button") add(block.inline ? block.href : `${block.label}\n${block.href}`, block.joined);
    else if (receipt) add(receiptText(receipt, locale));
  }
  if (footer.length) add([RULE, footer.map((lines) => lines.map(lineText).join("\n")).join("\n\n")].join("\n"));
  return `${out}\n`;
}
