import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invoices } from "@/db/schema";
import { effects } from "@/lib/billing/effects";
import { isEnded, isOverdue } from "@/lib/billing/subscription-state";
import type { Contract } from "./contract";
import type { ContractWriter } from "./contract-writer";
import { type InvoiceRow, lockInvoice } from "./invoicing";

/**
 * The open invoice a contract owes, locked, if any: its overdue invoice while it is incomplete, past due or unpaid,
 * or, once it has ended, the final invoice of its last usage. An incomplete contract whose checkout charge never got its answer
 * (the gateway did not reply, the process died before settling) owes its open first invoice just as if the charge
 * had been declined: it is adopted as the overdue invoice, or its in-flight attempt could never be replayed.
 */
export async function owedInvoice(tx: Db, contract: Contract, writer: ContractWriter): Promise<InvoiceRow | null> {
  const { sub } = contract;
  if (!isOverdue(sub.status) && !isEnded(sub.status)) return null;
  if (isEnded(sub.status)) {
    const [final] = await tx
      .select({ id: invoices.id })
      .from(invoices)
      .where(and(eq(invoices.merchantId, sub.merchantId), eq(invoices.subscriptionId, sub.id), eq(invoices.kind, "final"), eq(invoices.status, "open")));
    return final ? ((await lockInvoice(tx, sub.merchantId, final.id)) ?? null) : null;
  }
  let invoiceId = sub.overdueInvoiceId;
  if (!invoiceId && sub.status === "incomplete") {
    const [first] = await tx
      .select({ id: invoices.id })
      .from(invoices)
      .where(and(eq(invoices.merchantId, sub.merchantId), eq(invoices.subscriptionId, sub.id), eq(invoices.kind, "first"), eq(invoices.status, "open")));
    if (first) writer.apply(contract, effects({ changes: { overdueInvoiceId: first.id } }));
    invoiceId = first?.id ?? null;
  }
  if (!invoiceId) return null;
  const invoice = await lockInvoice(tx, sub.merchantId, invoiceId);
  return invoice?.status === "open" ? invoice : null;
}
