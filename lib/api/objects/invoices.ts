import { z } from "zod";
import type { InvoiceStatus } from "@/db/schema";
import { INVOICE_LINE_KINDS } from "@/lib/billing/invoice";
import type { InvoiceView } from "@/lib/services/queries/invoices";
import { iso, timestamp } from "../list";

export const INVOICE_STATUSES = ["draft", "open", "paid", "uncollectible", "void"] as const satisfies readonly InvoiceStatus[];

export const invoiceObject = z
  .object({
    id: z.string(),
    object: z.literal("invoice"),
    subscription: z.string(),
    customer: z.string(),
    kind: z.enum(["first", "renewal", "additional", "resume"]),
    status: z.enum(INVOICE_STATUSES),
    currency: z.string(),
    subtotal: z.number().int().describe("Minor units, tax excluded"),
    tax: z.number().int(),
    total: z.number().int().describe("Minor units, what is charged"),
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
    status: view.status,
    currency: view.currency,
    subtotal: view.subtotal,
    tax: view.tax,
    total: view.total,
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
    created: iso(view.issuedAt)!,
  };
}
