import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invoiceLines, invoices, type InvoiceKind } from "@/db/schema";
import { startOfLocalDay } from "@/lib/billing/calendar";
import type { InvoiceLineDraft } from "@/lib/billing/invoice";
import { invoiceTotals } from "@/lib/billing/tax";
import { newId } from "@/lib/ids";
import type { Contract } from "./contract";

export type InvoiceRow = typeof invoices.$inferSelect;

export type InvoiceDraft = {
  kind: InvoiceKind;
  /** One invoice per billable event: creating it again returns the first one. */
  billingKey: string;
  lines: InvoiceLineDraft[];
  periodStart?: Date | null;
  periodEnd?: Date | null;
  description?: string | null;
  extendPaidThrough?: boolean;
  sendMail?: boolean;
};

/** Issues an invoice for a contract with its lines and tax totals, idempotently by billing key. */
export async function issueInvoice(tx: Db, contract: Contract, draft: InvoiceDraft): Promise<InvoiceRow> {
  const { sub, terms, timeZone, now } = contract;
  const totals = invoiceTotals(
    draft.lines.map((l) => ({ amount: l.amount, taxRate: terms.taxRate })),
    terms.taxBehavior,
  );
  const id = newId("in");
  const [created] = await tx
    .insert(invoices)
    .values({
      id,
      merchantId: sub.merchantId,
      subscriptionId: sub.id,
      customerId: sub.customerId,
      kind: draft.kind,
      status: "open",
      currency: terms.currency,
      ...totals,
      periodStart: draft.periodStart ?? null,
      periodEnd: draft.periodEnd ?? null,
      description: draft.description ?? null,
      extendPaidThrough: draft.extendPaidThrough ?? false,
      sendMail: draft.sendMail ?? true,
      billingKey: draft.billingKey,
      issuedAt: now,
    })
    .onConflictDoNothing({ target: [invoices.merchantId, invoices.billingKey] })
    .returning();
  if (!created) {
    const [existing] = await tx.select().from(invoices).where(and(eq(invoices.merchantId, sub.merchantId), eq(invoices.billingKey, draft.billingKey)));
    return existing!;
  }
  if (draft.lines.length > 0) {
    await tx.insert(invoiceLines).values(
      draft.lines.map((line, position) => ({
        id: newId("il"),
        merchantId: sub.merchantId,
        invoiceId: id,
        position,
        kind: line.kind,
        description: line.description,
        amount: line.amount,
        quantity: line.quantity,
        periodStart: line.periodStart ? startOfLocalDay(line.periodStart, timeZone) : null,
        periodEnd: line.periodEnd ? startOfLocalDay(line.periodEnd, timeZone) : null,
      })),
    );
  }
  return created;
}

export async function lockInvoice(tx: Db, merchantId: string, invoiceId: string): Promise<InvoiceRow | undefined> {
  const [row] = await tx
    .select()
    .from(invoices)
    .where(and(eq(invoices.id, invoiceId), eq(invoices.merchantId, merchantId)))
    .for("update");
  return row;
}

export async function invoiceHasJoiningFee(tx: Db, invoiceId: string): Promise<boolean> {
  const rows = await tx
    .select({ id: invoiceLines.id })
    .from(invoiceLines)
    .where(and(eq(invoiceLines.invoiceId, invoiceId), eq(invoiceLines.kind, "joining_fee")))
    .limit(1);
  return rows.length > 0;
}
