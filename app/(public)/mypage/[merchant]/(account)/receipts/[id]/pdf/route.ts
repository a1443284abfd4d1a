import { customerSession } from "@/lib/mypage/customer-context";
import { receiptPdf } from "@/lib/mypage/receipt-pdf";
import { getReceipt } from "@/lib/services/queries/receipt";

/**
 * The receipt as a PDF (embedded Japanese font), for the signed-in customer's own paid invoices only: signed out is
 * 401, another customer's or an unknown invoice 404.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ merchant: string; id: string }> }) {
  const { merchant, id } = await params;
  const signedIn = await customerSession(merchant);
  if (!signedIn) return new Response("Sign in to your account page first.", { status: 401 });
  const view = await getReceipt(signedIn.ctx, id);
  if (!view) return new Response("Not found", { status: 404 });
  const pdf = await receiptPdf(view, signedIn.locale);
  return new Response(new Uint8Array(pdf), {
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `inline; filename="receipt-${id}.pdf"`,
      "cache-control": "private, no-store",
    },
  });
}
