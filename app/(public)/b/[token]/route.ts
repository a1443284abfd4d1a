import { verifyLinkToken } from "@/lib/auth/signed-link";
import { atobaraiInvoicePdf } from "@/lib/atobarai/invoice-pdf";
import { configuredPlatform } from "@/lib/platform";
import { getDatabase } from "@/lib/runtime";
import { getAtobaraiInvoiceView } from "@/lib/services/queries/atobarai-orders";

/**
 * A 後払い buyer's invoice PDF, opened from the invoice mail's signed link (no account: the buyer has none). The token
 * names the order and its merchant; an expired or forged one, or an order without an invoice, opens nothing.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const platform = configuredPlatform(await getDatabase());
  const verified = await verifyLinkToken(platform.links.secret, "atobarai_invoice", token, platform.clock.now());
  if (!verified.ok) return new Response(verified.reason === "expired" ? "このリンクの有効期限が切れています。ご購入店にお問い合わせください。" : "このリンクは開けません。", { status: verified.reason === "expired" ? 410 : 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  const view = await getAtobaraiInvoiceView({ db: platform.db, merchantId: verified.merchantId }, verified.subject);
  if (!view) return new Response("このリンクは開けません。", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  const pdf = await atobaraiInvoicePdf(view);
  return new Response(new Uint8Array(pdf), {
    headers: { "content-type": "application/pdf", "content-disposition": `inline; filename="invoice-${view.orderRef}.pdf"`, "cache-control": "private, no-store" },
  });
}
