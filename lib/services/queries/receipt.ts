import { and, asc, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { customers, invoiceLines, invoices, merchants, plans, products, refunds, subscriptions } from "@/db/schema";
import { buildReceipt, type Receipt } from "@/lib/billing/receipt";
import type { Locale } from "@/lib/i18n/locales";
import type { ServiceContext } from "../context";

/** A paid invoice's receipt with who issued it and to whom: what the receipt page and the receipt mail show. */
export type ReceiptView = {
  invoiceId: string;
  subscriptionId: string;
  paidAt: Date;
  merchant: { name: string; registrationNumber: string | null; timeZone: string };
  customer: { id: string; name: string; locale: Locale };
  productName: string;
  planName: string | null;
  receipt: Receipt;
};

const invoicePlan = alias(plans, "invoice_plan");

/**
 * The receipt of a paid invoice of this merchant, or null (no such invoice, another merchant's, or not paid). The tax
 * treatment is the plan the invoice bills; a charge that bills no plan (an extra charge) was taxed as its contract's
 * plan (lib/services/internal/invoicing.ts).
 */
export async function readReceipt(db: Db, merchantId: string, invoiceId: string): Promise<ReceiptView | null> {
  const [row] = await db
    .select({
      invoice: invoices,
      merchant: { name: merchants.name, registrationNumber: merchants.invoiceRegistrationNumber, timeZone: merchants.timeZone },
      customer: { id: customers.id, name: customers.name, locale: customers.locale },
      contractPlan: { name: plans.name, taxBehavior: plans.taxBehavior, taxRate: plans.taxRate },
      invoicePlan: { name: invoicePlan.name, taxBehavior: invoicePlan.taxBehavior, taxRate: invoicePlan.taxRate },
      productName: products.name,
    })
    .from(invoices)
    .innerJoin(merchants, eq(merchants.id, invoices.merchantId))
    .innerJoin(customers, and(eq(customers.id, invoices.customerId), eq(customers.merchantId, invoices.merchantId)))
    .innerJoin(subscriptions, and(eq(subscriptions.id, invoices.subscriptionId), eq(subscriptions.merchantId, invoices.merchantId)))
    .innerJoin(plans, eq(plans.id, subscriptions.planId))
    .leftJoin(invoicePlan, eq(invoicePlan.id, invoices.planId))
    .innerJoin(products, eq(products.id, plans.productId))
    .where(and(eq(invoices.id, invoiceId), eq(invoices.merchantId, merchantId)))
    .limit(1);
  if (!row || row.invoice.status !== "paid" || !row.invoice.paidAt) return null;
  const { invoice } = row;
  const paidAt = row.invoice.paidAt;
  const terms = row.invoicePlan ?? row.contractPlan;
  const lines = await db
    .select({ description: invoiceLines.description, amount: invoiceLines.amount, quantity: invoiceLines.quantity })
    .from(invoiceLines)
    .where(and(eq(invoiceLines.merchantId, merchantId), eq(invoiceLines.invoiceId, invoice.id)))
    .orderBy(asc(invoiceLines.position));
  const given = await db
    .select({ amount: refunds.amount, at: refunds.completedAt, createdAt: refunds.createdAt })
    .from(refunds)
    .where(and(eq(refunds.merchantId, merchantId), eq(refunds.invoiceId, invoice.id), eq(refunds.status, "succeeded")))
    .orderBy(asc(refunds.createdAt), asc(refunds.id));
  return {
    invoiceId: invoice.id,
    subscriptionId: invoice.subscriptionId,
    paidAt,
    merchant: row.merchant,
    customer: row.customer,
    productName: row.productName,
    planName: terms.name,
    receipt: buildReceipt({
      currency: invoice.currency,
      taxBehavior: terms.taxBehavior,
      lines: lines.map((l) => ({ ...l, taxRate: terms.taxRate })),
      totals: { subtotal: invoice.subtotal, tax: invoice.tax, total: invoice.total },
      refunds: given.map((r) => ({ amount: r.amount, at: r.at ?? r.createdAt })),
    }),
  };
}

/** The receipt as an end user may see it: only of an invoice of their own (another's is simply not there). */
export async function getReceipt(ctx: ServiceContext, invoiceId: string): Promise<ReceiptView | null> {
  const view = await readReceipt(ctx.db, ctx.merchantId, invoiceId);
  if (!view) return null;
  if (ctx.actor.type === "customer" && ctx.actor.id !== view.customer.id) return null;
  return view;
}
