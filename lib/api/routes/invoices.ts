import { z } from "zod";
import { getInvoice, listInvoices } from "@/lib/services/queries/invoices";
import { listOf, listQuery, toList } from "../list";
import { INVOICE_STATUSES, invoiceObject, toInvoice } from "../objects/invoices";
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
];
