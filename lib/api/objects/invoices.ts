import { z } from "zod";
import type { InvoiceStatus } from "@/db/schema";
import { INVOICE_KINDS, INVOICE_LINE_KINDS } from "@/lib/billing/invoice";
import type { RefundRow } from "@/lib/services/refund-invoice";
import type { InvoiceView } from "@/lib/services/queries/invoices";
import { iso, timestamp } from "../list";

export const INVOICE_STATUSES = ["draft", "open", "paid", "uncollectible", "void"] as const satisfies readonly InvoiceStatus[];

export const invoiceObject = z
  .object({
    id: z.string(),
    object: z.literal("invoice"),
    subscription: z.string(),
    customer: z.string(),
    kind: z.enum(INVOICE_KINDS),
    plan: z.string().nullable().describe("The plan it bills (a plan change's new plan)"),
    status: z.enum(INVOICE_STATUSES),
    currency: z.string(),
    subtotal: z.number().int().describe("Minor units, tax excluded"),
    tax: z.number().int(),
    total: z.number().int().describe("Minor units, what is charged"),
    credit_applied: z.number().int().describe("Customer credit taken off this invoice"),
    amount_refunded: z.number().int().describe("What was refunded of the paid total"),
    description: z.string().nullable(),
    period_start: timestamp.nullable(),
    period_end: timestamp.nullable(),
    lines: z.array(
      z.object({
        kind: z.enum(INVOICE_LINE_KINDS),
        amount: z.number().int(),
        quantity: z.number().int(),
        description: z.string(),
        period_start: timestamp.nullable(),
        period_end: timestamp.nullable(),
      }),
    ),
    attempts: z.array(
      z.object({
        id: z.string(),
        status: z.enum(["succeeded", "failed", "unknown"]).describe("\"unknown\" while the gateway's answer is not recorded"),
        amount: z.number().int(),
        failure_code: z.string().nullable(),
        created: timestamp,
      }),
    ),
    paid_at: timestamp.nullable(),
    disputed_at: timestamp.nullable().describe("When the cardholder's bank first opened a chargeback against its payment (Stripe's charge.dispute.created)"),
    created: timestamp,
  })
  .meta({ id: "Invoice" });

export function toInvoice(view: InvoiceView): z.infer<typeof invoiceObject> {
  return {
    id: view.id,
    object: "invoice",
    subscription: view.subscriptionId,
    customer: view.customerId,
    kind: view.kind,
    plan: view.planId,
    status: view.status,
    currency: view.currency,
    subtotal: view.subtotal,
    tax: view.tax,
    total: view.total,
    credit_applied: view.creditApplied,
    amount_refunded: view.amountRefunded,
    description: view.description,
    period_start: iso(view.periodStart),
    period_end: iso(view.periodEnd),
    lines: view.lines.map((l) => ({ kind: l.kind, amount: l.amount, quantity: l.quantity, description: l.description, period_start: iso(l.periodStart), period_end: iso(l.periodEnd) })),
    attempts: view.attempts.map((a) => ({
      id: a.id,
      status: a.status === "succeeded" || a.status === "failed" ? a.status : "unknown",
      amount: a.amount,
      failure_code: a.failureCode,
      created: iso(a.attemptedAt)!,
    })),
    paid_at: iso(view.paidAt),
    disputed_at: iso(view.disputedAt),
    created: iso(view.issuedAt)!,
  };
}

export const refundObject = z
  .object({
    id: z.string(),
    object: z.literal("refund"),
    invoice: z.string(),
    subscription: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    reason: z.string().nullable(),
    status: z.enum(["pending", "succeeded", "failed"]).describe("pending: the gateway's answer is not recorded yet; the same request (Idempotency-Key) confirms it"),
    failure_code: z.string().nullable(),
    created: timestamp,
  })
  .meta({ id: "Refund" });

export function toRefund(row: RefundRow): z.infer<typeof refundObject> {
  return {
    id: row.id,
    object: "refund",
    invoice: row.invoiceId,
    subscription: row.subscriptionId,
    amount: row.amount,
    currency: row.currency,
    reason: row.reason,
    status: row.status,
    failure_code: row.failureCode,
    created: iso(row.createdAt)!,
  };
}
