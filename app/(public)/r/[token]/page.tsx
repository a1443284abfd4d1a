import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ReceiptDocument } from "@/components/receipt/receipt-document";
import { customerTranslator, openSignedLink } from "@/lib/mypage/signed-link-context";
import { getReceipt } from "@/lib/services/queries/receipt";
import { PrintButton } from "@/components/receipt/print-button";

type Props = { params: Promise<{ token: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const opened = await openSignedLink("receipt", (await params).token);
  return { title: customerTranslator(opened.ok ? opened.locale : "ja", "receipt")("title") };
}

/**
 * 領収書: a paid invoice as the customer keeps it, from the signed link in the receipt mail. It works as a
 * 適格簡易請求書: the issuer and its registration number, the date, the lines with reduced-rate ones marked, the
 * amount and tax at each rate, the total; then refunds, if any. Printable: the print stylesheet drops the chrome.
 */
export default async function ReceiptPage({ params }: Props) {
  const opened = await openSignedLink("receipt", (await params).token);
  if (!opened.ok) notFound();
  const view = await getReceipt(opened.ctx, opened.subjectId);
  if (!view) notFound();
  return <ReceiptDocument view={view} locale={opened.locale} actions={<PrintButton label={customerTranslator(opened.locale, "receipt")("print")} />} />;
}
