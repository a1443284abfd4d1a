import { z } from "zod";
import { getInvoice, listInvoices } from "@/lib/services/queries/invoices";
import { refundInvoice, refundInvoiceInput } from "@/lib/services/refund-invoice";
import { listOf, listQuery, toList } from "../list";
import { INVOICE_STATUSES, invoiceObject, refundObject, toInvoice, toRefund } from "../objects/invoices";
import { route } from "../router";

export const invoiceRoutes = [
  route({
    method: "GET",
    path: "/invoices",
    tag: "Invoices",
    summary: "List invoices, newest first",
    query: listQuery.extend({ subscription: z.string().min(1).optional(), customer: z.string().min(1).optional(), status: z.enum(INVOICE_STATUSES).optional() }),
    response: listOf(invoiceObject),
    handler: async ({ ctx, query }) =>
      toList(
        await listInvoices(ctx, { limit: query.limit, startingAfter: query.starting_after, subscriptionId: query.subscription, customerId: query.customer, status: query.status }),
        toInvoice,
      ),
  }),
  route({
    method: "GET",
    path: "/invoices/{id}",
    tag: "Invoices",
    summary: "Retrieve an invoice with its lines and payment attempts",
    response: invoiceObject,
    handler: async ({ ctx, params }) => toInvoice(await getInvoice(ctx, params.id!)),
  }),
  route({
    method: "POST",
    path: "/invoices/{id}/refunds",
    tag: "Invoices",
    summary:
      "Refund a paid invoice, in full (default) or in part; never more than is left after earlier refunds. The invoice's `amount_refunded` grows; the subscription is " +
      "not changed (cancel it separately). Send an Idempotency-Key: a refund whose gateway answer was lost (503) is confirmed by the same request, never made twice. " +
      "409 for an invoice that is not paid, charged nothing or is refunded in full.",
    body: z.strictObject({ amount: refundInvoiceInput.shape.amount.describe("Minor units; what is left when absent"), reason: refundInvoiceInput.shape.reason }),
    response: refundObject,
    handler: async ({ ctx, params, body, idempotencyKey }) =>
      toRefund(await refundInvoice(ctx, { invoiceId: params.id!, amount: body.amount, reason: body.reason, requestKey: idempotencyKey ? `api:${idempotencyKey}` : null })),
  }),
];
