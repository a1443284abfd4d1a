import { and, asc, eq } from "drizzle-orm";
import { invoiceLines, invoices, paymentAttempts } from "@/db/schema";
import type { ServiceContext } from "./context";
import { notFound } from "./errors";

/** An invoice with its lines and attempts, as merchants and the API see it. */
export async function loadInvoice(ctx: Pick<ServiceContext, "db" | "merchantId">, invoiceId: string) {
  const [invoice] = await ctx.db.select().from(invoices).where(and(eq(invoices.id, invoiceId), eq(invoices.merchantId, ctx.merchantId)));
  if (!invoice) throw notFound("invoice", invoiceId, "invoice");
  const [lines, attempts] = await Promise.all([
    ctx.db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId)).orderBy(asc(invoiceLines.position)),
    ctx.db.select().from(paymentAttempts).where(eq(paymentAttempts.invoiceId, invoiceId)).orderBy(asc(paymentAttempts.attemptNumber)),
  ]);
  return { ...invoice, lines, attempts };
}
