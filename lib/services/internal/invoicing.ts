import { and, asc, eq, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { bulkInsert, inList } from "@/db/bulk-write";
import { invoiceLines, invoices } from "@/db/schema";
import { startOfLocalDay } from "@/lib/billing/calendar";
import { effects } from "@/lib/billing/effects";
import type { InvoiceDraft } from "@/lib/billing/invoice";
import { invoiceTotals } from "@/lib/billing/tax";
import { newId } from "@/lib/ids";
import type { Contract } from "./contract";
import type { ContractWriter } from "./contract-writer";

export type InvoiceRow = typeof invoices.$inferSelect;
export type IssuedInvoice = { invoice: InvoiceRow; created: boolean };

/**
 * Issues invoices for many contracts in one statement per table. A billing key that already has an invoice gets that
 * invoice back (`created: false`), without new lines: issuing twice is issuing once. The credit a new invoice takes
 * off is taken from its contract's balance, through the writer.
 */
export async function issueInvoices(tx: Db, writer: ContractWriter, items: readonly { contract: Contract; draft: InvoiceDraft }[]): Promise<IssuedInvoice[]> {
  if (items.length === 0) return [];
  const rows = items.map(({ contract: { sub, plan, now }, draft }) => ({
    id: newId("in"),
    merchantId: sub.merchantId,
    subscriptionId: sub.id,
    customerId: sub.customerId,
    planId: draft.planId,
    kind: draft.kind,
    status: "open" as const,
    currency: plan.currency,
    // One invoice, one plan's tax treatment: a plan change across treatments is not prorated (change-plan.ts).
    ...invoiceTotals(
      draft.lines.map((l) => ({ amount: l.amount, taxRate: plan.taxRate })),
      plan.taxBehavior,
    ),
    creditApplied: draft.creditApplied,
    periodStart: draft.periodStart,
    periodEnd: draft.periodEnd,
    description: draft.description ?? null,
    extendPaidThrough: draft.extendPaidThrough ?? false,
    sendMail: draft.sendMail ?? true,
    billingKey: draft.billingKey,
    issuedAt: now,
  }));
  const inserted = await bulkInsert(tx, invoices, rows, { onConflict: sql`on conflict (merchant_id, billing_key) do nothing`, returning: ["id", "createdAt"] });
  // An inserted row is what was sent plus the column defaults: only created_at comes back from the server.
  const createdAt = new Map(inserted.map((row) => [row.id, row.createdAt]));
  const created = rows
    .filter((row) => createdAt.has(row.id))
    .map((row): InvoiceRow => ({ ...row, attemptCount: 0, amountRefunded: 0, paidAt: null, disputedAt: null, createdAt: createdAt.get(row.id)! }));
  const byKey = new Map(created.map((row) => [`${row.merchantId}\u0000${row.billingKey}`, row]));
  const missing = rows.filter((row) => !byKey.has(`${row.merchantId}\u0000${row.billingKey}`));
  if (missing.length > 0) {
    const existing = await tx
      .select()
      .from(invoices)
      .where(or(...missing.map((row) => and(eq(invoices.merchantId, row.merchantId), eq(invoices.billingKey, row.billingKey)))));
    for (const row of existing) byKey.set(`${row.merchantId}\u0000${row.billingKey}`, row);
  }
  const lines = items.flatMap(({ contract: { sub, timeZone }, draft }, i) =>
    createdAt.has(rows[i]!.id)
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
  items.forEach(({ contract, draft }, i) => {
    if (createdAt.has(rows[i]!.id) && draft.creditApplied > 0) writer.apply(contract, effects({ changes: { creditBalance: contract.sub.creditBalance - draft.creditApplied } }));
  });
  return rows.map((row) => {
    const invoice = byKey.get(`${row.merchantId}\u0000${row.billingKey}`)!;
    return { invoice, created: createdAt.has(invoice.id) };
  });
}

/** Locks one invoice of a merchant. */
export async function lockInvoice(tx: Db, merchantId: string, invoiceId: string): Promise<InvoiceRow | undefined> {
  const [row] = await tx
    .select()
    .from(invoices)
    .where(and(eq(invoices.id, invoiceId), eq(invoices.merchantId, merchantId)))
    .for("no key update"); // like lockContracts: attempts and refunds that reference it may still be written
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
    .for("no key update");
  return new Map(rows.map((row) => [row.id, row]));
}

/** Per invoice: whether it carries a joining fee line, and the credit it carries to the contract. */
export async function invoiceLineFacts(tx: Db, invoiceIds: readonly string[]): Promise<Map<string, { hasJoiningFee: boolean; creditCarried: number }>> {
  const facts = new Map<string, { hasJoiningFee: boolean; creditCarried: number }>();
  if (invoiceIds.length === 0) return facts;
  const rows = await tx
    .select({ invoiceId: invoiceLines.invoiceId, kind: invoiceLines.kind, amount: invoiceLines.amount })
    .from(invoiceLines)
    .where(and(inList(invoiceLines.invoiceId, invoiceIds), sql`${invoiceLines.kind} in ('joining_fee', 'credit_carried')`));
  for (const row of rows) {
    const entry = facts.get(row.invoiceId) ?? { hasJoiningFee: false, creditCarried: 0 };
    if (row.kind === "joining_fee") entry.hasJoiningFee = true;
    else entry.creditCarried += row.amount;
    facts.set(row.invoiceId, entry);
  }
  return facts;
}
