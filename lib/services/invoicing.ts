import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { reusableQuery, unencodedPlaceholder } from "@/db/reusable-query";
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

/** Built once (see reusableQuery): every charge issues or finds its invoice. */
const insertInvoice = reusableQuery((db) =>
  db
    .insert(invoices)
    .values({
      id: sql.placeholder("id"),
      merchantId: sql.placeholder("merchantId"),
      subscriptionId: sql.placeholder("subscriptionId"),
      customerId: sql.placeholder("customerId"),
      kind: sql.placeholder("kind"),
      status: "open",
      currency: sql.placeholder("currency"),
      subtotal: sql.placeholder("subtotal"),
      tax: sql.placeholder("tax"),
      total: sql.placeholder("total"),
      // Side charges have no period: these two take an ISO string or null (see unencodedPlaceholder).
      periodStart: unencodedPlaceholder("periodStart"),
      periodEnd: unencodedPlaceholder("periodEnd"),
      description: sql.placeholder("description"),
      extendPaidThrough: sql.placeholder("extendPaidThrough"),
      sendMail: sql.placeholder("sendMail"),
      billingKey: sql.placeholder("billingKey"),
      issuedAt: sql.placeholder("issuedAt"),
    })
    .onConflictDoNothing({ target: [invoices.merchantId, invoices.billingKey] })
    .returning()
    .prepare("insert_invoice"),
);

/** Issues an invoice for a contract with its lines and tax totals, idempotently by billing key. */
export async function issueInvoice(tx: Db, contract: Contract, draft: InvoiceDraft): Promise<InvoiceRow> {
  const { sub, terms, timeZone, now } = contract;
  const totals = invoiceTotals(
    draft.lines.map((l) => ({ amount: l.amount, taxRate: terms.taxRate })),
    terms.taxBehavior,
  );
  const id = newId("in");
  const [created] = await insertInvoice(tx).execute({
    id,
    merchantId: sub.merchantId,
    subscriptionId: sub.id,
    customerId: sub.customerId,
    kind: draft.kind,
    currency: terms.currency,
    ...totals,
    periodStart: draft.periodStart?.toISOString() ?? null,
    periodEnd: draft.periodEnd?.toISOString() ?? null,
    description: draft.description ?? null,
    extendPaidThrough: draft.extendPaidThrough ?? false,
    sendMail: draft.sendMail ?? true,
    billingKey: draft.billingKey,
    issuedAt: now,
  });
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

/** Built once (see reusableQuery): every settlement locks its invoice. */
const lockInvoiceQuery = reusableQuery((db) =>
  db
    .select()
    .from(invoices)
    .where(and(eq(invoices.id, sql.placeholder("invoiceId")), eq(invoices.merchantId, sql.placeholder("merchantId"))))
    .for("update")
    .prepare("lock_invoice"),
);

export async function lockInvoice(tx: Db, merchantId: string, invoiceId: string): Promise<InvoiceRow | undefined> {
  const [row] = await lockInvoiceQuery(tx).execute({ invoiceId, merchantId });
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
