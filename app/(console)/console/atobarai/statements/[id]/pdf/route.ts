import { statementPdf } from "@/lib/atobarai/statement-pdf";
import { staffSession } from "@/lib/console/staff-context";
import { ServiceError } from "@/lib/services/errors";
import { getAtobaraiStatement } from "@/lib/services/queries/atobarai-money";

/** GET /console/atobarai/statements/<id>/pdf: the statement as a PDF (embedded Japanese font); 401 signed out, 404 another's. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const session = await staffSession();
  if (!session) return new Response(null, { status: 401 });
  try {
    const view = await getAtobaraiStatement(session.ctx, id);
    const pdf = await statementPdf(view, session.staff.locale);
    return new Response(new Uint8Array(pdf), {
      headers: { "content-type": "application/pdf", "content-disposition": `inline; filename="statement-${view.statement.periodEnd}.pdf"`, "cache-control": "private, no-store" },
    });
  } catch (error) {
    if (error instanceof ServiceError && error.code === "not_found") return new Response("Not found", { status: 404 });
    throw error;
  }
}
