import { and, eq } from "drizzle-orm";
import { inList } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { invoices } from "@/db/schema";
import { effects } from "@/lib/billing/effects";
import { isEnded, isOverdue } from "@/lib/billing/subscription-state";
import type { Contract } from "./contract";
import type { ContractWriter } from "./contract-writer";
import { type InvoiceRow, lockInvoices } from "./invoicing";

/**
 * The open invoice a contract owes, locked, if any: its overdue invoice while it is incomplete, past due or unpaid,
 * or, once it has ended, the final invoice of its last usage. An incomplete contract whose checkout charge never got its answer
 * (the gateway did not reply, the process died before settling) owes its open first invoice just as if the charge
 * had been declined: it is adopted as the overdue invoice, or its in-flight attempt could never be replayed.
 */
export async function owedInvoice(tx: Db, contract: Contract, writer: ContractWriter): Promise<InvoiceRow | null> {
  return (await owedInvoices(tx, [contract], writer)).get(contract.sub.id) ?? null;
}

/** owedInvoice for many contracts (of one merchant or several) in a few statements, by contract id: a bulk retry's batch. */
export async function owedInvoices(tx: Db, contracts: readonly Contract[], writer: ContractWriter): Promise<Map<string, InvoiceRow>> {
  const invoiceOf = new Map<string, string>();
  const firstOf = contracts.filter((c) => c.sub.status === "incomplete" && !c.sub.overdueInvoiceId);
  const finalOf = contracts.filter((c) => isEnded(c.sub.status));
  for (const { sub } of contracts) if (isOverdue(sub.status) && sub.overdueInvoiceId) invoiceOf.set(sub.id, sub.overdueInvoiceId);
  for (const [kind, owners] of [
    ["first", firstOf],
    ["final", finalOf],
  ] as const) {
    if (owners.length === 0) continue;
    const rows = await tx
      .select({ id: invoices.id, subscriptionId: invoices.subscriptionId, merchantId: invoices.merchantId })
      .from(invoices)
      .where(and(inList(invoices.subscriptionId, owners.map((c) => c.sub.id)), eq(invoices.kind, kind), eq(invoices.status, "open")));
    const byContract = new Map(owners.map((c) => [c.sub.id, c]));
    for (const row of rows) {
      const contract = row.subscriptionId ? byContract.get(row.subscriptionId) : undefined;
      if (!contract || row.merchantId !== contract.sub.merchantId) continue;
      invoiceOf.set(contract.sub.id, row.id);
      if (kind === "first") writer.apply(contract, effects({ changes: { overdueInvoiceId: row.id } }));
    }
  }
  const locked = await lockInvoices(tx, [...invoiceOf.values()]);
  const owed = new Map<string, InvoiceRow>();
  for (const { sub } of contracts) {
    const invoice = locked.get(invoiceOf.get(sub.id) ?? "");
    if (invoice?.status === "open" && invoice.merchantId === sub.merchantId) owed.set(sub.id, invoice);
  }
  return owed;
}
