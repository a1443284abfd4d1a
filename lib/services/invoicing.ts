import { and, asc, eq, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { bulkInsert, inList } from "@/db/bulk-write";
import { reusableQuery } from "@/db/reusable-query";
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

export type IssuedInvoice = { invoice: InvoiceRow; created: boolean };

/** Issues an invoice for a contract with its lines and tax totals, idempotently by billing key. */
export async function issueInvoice(tx: Db, contract: Contract, draft: InvoiceDraft): Promise<InvoiceRow> {
  const [issued] = await issueInvoices(tx, [{ contract, draft }]);
  return issued!.invoice;
}

/**
 * Issues invoices for many contracts in one statement per table. A billing key that already has an invoice gets
 * that invoice back (`created: false`), without new lines: issuing twice is issuing once.
 */
export async function issueInvoices(tx: Db, items: readonly { contract: Contract; draft: InvoiceDraft }[]): Promise<IssuedInvoice[]> {
  if (items.length === 0) return [];
  const rows = items.map(({ contract: { sub, terms, now }, draft }) => ({
    id: newId("in"),
    merchantId: sub.merchantId,
    subscriptionId: sub.id,
    customerId: sub.customerId,
    kind: draft.kind,
    status: "open" as const,
    currency: terms.currency,
    ...invoiceTotals(
      draft.lines.map((l) => ({ amount: l.amount, taxRate: terms.taxRate })),
      terms.taxBehavior,
    ),
    periodStart: draft.periodStart ?? null,
    periodEnd: draft.periodEnd ?? null,
    description: draft.description ?? null,
    extendPaidThrough: draft.extendPaidThrough ?? false,
    sendMail: draft.sendMail ?? true,
    billingKey: draft.billingKey,
    issuedAt: now,
  }));
  const inserted = await bulkInsert(tx, invoices, rows, { onConflict: sql`on conflict (merchant_id, billing_key) do nothing`, returning: ["id", "createdAt"] });
  // An inserted row is what was sent plus the column defaults: only created_at comes back from the server.
  const createdAt = new Map(inserted.map((row) => [row.id, row.createdAt]));
  const created = rows.filter((row) => createdAt.has(row.id)).map((row): InvoiceRow => ({ ...row, attemptCount: 0, paidAt: null, createdAt: createdAt.get(row.id)! }));
  const byKey = new Map(created.map((row) => [`${row.merchantId}\u0000${row.billingKey}`, row]));
  const createdIds = new Set(createdAt.keys());
  const missing = rows.filter((row) => !byKey.has(`${row.merchantId}\u0000${row.billingKey}`));
  if (missing.length > 0) {
    const existing = await tx
      .select()
      .from(invoices)
      .where(or(...missing.map((row) => and(eq(invoices.merchantId, row.merchantId), eq(invoices.billingKey, row.billingKey)))));
    for (const row of existing) byKey.set(`${row.merchantId}\u0000${row.billingKey}`, row);
  }
  const lines = items.flatMap(({ contract: { sub, timeZone }, draft }, i) =>
    createdIds.has(rows[i]!.id)
      ? draft.lines.map((line, position) => ({
          id: newId("il"),
          merchantId: sub.merchantId,
          invoiceId: rows[i]!.id,
          position,
          kind: line.kind,
          description: line.description,
          amount: line.amount,
          quantity: line.quantity,
          periodStart: line.periodStart ? startOfLocalDay(line.periodStart, timeZone) : null,
          periodEnd: line.periodEnd ? startOfLocalDay(line.periodEnd, timeZone) : null,
        }))
      : [],
  );
  await bulkInsert(tx, invoiceLines, lines);
  return rows.map((row) => {
    const invoice = byKey.get(`${row.merchantId}\u0000${row.billingKey}`)!;
    return { invoice, created: createdIds.has(invoice.id) };
  });
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

/** Locks many invoices of any merchants, in id order (see lockContracts). */
export async function lockInvoices(tx: Db, invoiceIds: readonly string[]): Promise<Map<string, InvoiceRow>> {
  if (invoiceIds.length === 0) return new Map();
  const rows = await tx
    .select()
    .from(invoices)
    .where(inList(invoices.id, [...new Set(invoiceIds)]))
    .orderBy(asc(invoices.id))
    .for("update");
  return new Map(rows.map((row) => [row.id, row]));
}

/** Which of these invoices carry a joining fee line. */
export async function invoicesWithJoiningFee(tx: Db, invoiceIds: readonly string[]): Promise<Set<string>> {
  if (invoiceIds.length === 0) return new Set();
  const rows = await tx
    .selectDistinct({ invoiceId: invoiceLines.invoiceId })
    .from(invoiceLines)
    .where(and(inList(invoiceLines.invoiceId, invoiceIds), eq(invoiceLines.kind, "joining_fee")));
  return new Set(rows.map((row) => row.invoiceId));
}
