import { atobaraiInvoicePdf } from "@/lib/atobarai/invoice-pdf";
import { staffSession } from "@/lib/console/staff-context";
import { getAtobaraiInvoiceView } from "@/lib/services/queries/atobarai-orders";

/** A shipped order's invoice PDF for staff: to print and enclose in the parcel (同梱), or to send again by hand. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const session = await staffSession();
  if (!session) return new Response("Sign in first.", { status: 401 });
  const { id } = await params;
  const view = await getAtobaraiInvoiceView(session.ctx, id);
  if (!view) return new Response("Not found", { status: 404 });
  const pdf = await atobaraiInvoicePdf(view);
  return new Response(new Uint8Array(pdf), {
    headers: { "content-type": "application/pdf", "content-disposition": `inline; filename="invoice-${view.orderRef}.pdf"`, "cache-control": "private, no-store" },
  });
}
