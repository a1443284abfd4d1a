import { and, asc, count, desc, eq, inArray, or } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { z } from "zod";
import { customers, invoices, mails, paymentMethods, plans, products, subscriptions, testClocks } from "@/db/schema";
import type { BillingInterval } from "@/lib/billing/plan";
import type { SubscriptionStatus } from "@/lib/billing/subscription-state";
import type { ServiceContext } from "../context";
import { notFound, parseInput } from "../errors";
import { type PageRequest, pageConditions, toPage } from "./page";
import { customerSearch } from "./customer-search";
import { matchesEveryTerm, searchTerms } from "./text-match";

type ReadContext = Pick<ServiceContext, "db" | "merchantId">;
type CustomerRow = typeof customers.$inferSelect;
type PaymentMethodRow = typeof paymentMethods.$inferSelect;
type SubscriptionRow = typeof subscriptions.$inferSelect;
type InvoiceRow = typeof invoices.$inferSelect;
type MailRow = typeof mails.$inferSelect;

export async function getCustomer(ctx: ReadContext, id: string) {
  const [row] = await ctx.db.select().from(customers).where(and(eq(customers.id, id), eq(customers.merchantId, ctx.merchantId)));
  if (!row) throw notFound("customer", id, "id");
  return row;
}

export async function listCustomers(ctx: ReadContext, request: PageRequest & { email?: string | null; testClockId?: string | null }) {
  const page = pageConditions(customers.id, request);
  const rows = await ctx.db
    .select()
    .from(customers)
    .where(
      and(
        eq(customers.merchantId, ctx.merchantId),
        request.email ? eq(customers.email, request.email) : undefined,
        request.testClockId ? eq(customers.testClockId, request.testClockId) : undefined,
        page.cursor,
      ),
    )
    .orderBy(page.order)
    .limit(page.take);
  return toPage(rows, request);
}

/** A customer's saved cards, newest first; the customer must be the merchant's own. */
export async function listPaymentMethods(ctx: ReadContext, customerId: string, request: PageRequest) {
  await getCustomer(ctx, customerId);
  const page = pageConditions(paymentMethods.id, request);
  const rows = await ctx.db
    .select()
    .from(paymentMethods)
    .where(and(eq(paymentMethods.merchantId, ctx.merchantId), eq(paymentMethods.customerId, customerId), page.cursor))
    .orderBy(page.order)
    .limit(page.take);
  return toPage(rows, request);
}

// ---------------------------------------------------------------------------------------------------------
// The console's customers pages: a searched, paged list and one customer with everything that hangs off them.

export type CustomerListRow = Pick<CustomerRow, "id" | "name" | "email" | "phone" | "createdAt" | "testClockId"> & {
  /** The test clock's name when the customer lives on one (test data). */
  testClockName: string | null;
  /** How many of their contracts are in each status. */
  contracts: Partial<Record<SubscriptionStatus, number>>;
};
export type CustomerList = { rows: CustomerListRow[]; total: number; page: number; perPage: number; pageCount: number };

/** One page of the merchant's customers matching the search, with the total, read in one transaction. */
export async function searchCustomers(ctx: ReadContext, input: z.input<typeof customerSearch>): Promise<CustomerList> {
  const search = parseInput(customerSearch, input);
  const terms = searchTerms(search.q);
  const byId = terms.length === 1 && terms[0]!.startsWith("cus_") ? eq(customers.id, terms[0]!) : undefined;
  const where = and(eq(customers.merchantId, ctx.merchantId), byId ? or(byId, matchesEveryTerm(terms, [customers.name, customers.email])) : matchesEveryTerm(terms, [customers.name, customers.email]));
  // Newest by the customer's own creation time (a test clock's customers were created at the clock's time).
  const order = search.sort === "name" ? [asc(customers.name), asc(customers.id)] : [desc(customers.createdAt), desc(customers.id)];
  return ctx.db.transaction(async (tx) => {
    const [counted] = await tx.select({ n: count() }).from(customers).where(where);
    const total = counted?.n ?? 0;
    const rows = await tx
      .select({ id: customers.id, name: customers.name, email: customers.email, phone: customers.phone, createdAt: customers.createdAt, testClockId: customers.testClockId, testClockName: testClocks.name })
      .from(customers)
      .leftJoin(testClocks, eq(testClocks.id, customers.testClockId))
      .where(where)
      .orderBy(...order)
      .limit(search.perPage)
      .offset((search.page - 1) * search.perPage);
    const statuses =
      rows.length === 0
        ? []
        : await tx
            .select({ customerId: subscriptions.customerId, status: subscriptions.status, n: count() })
            .from(subscriptions)
            .where(and(eq(subscriptions.merchantId, ctx.merchantId), inArray(subscriptions.customerId, rows.map((r) => r.id))))
            .groupBy(subscriptions.customerId, subscriptions.status);
    const contracts = new Map<string, Partial<Record<SubscriptionStatus, number>>>();
    for (const s of statuses) contracts.set(s.customerId, { ...contracts.get(s.customerId), [s.status]: s.n });
    return {
      rows: rows.map((row) => ({ ...row, contracts: contracts.get(row.id) ?? {} })),
      total,
      page: search.page,
      perPage: search.perPage,
      pageCount: Math.max(1, Math.ceil(total / search.perPage)),
    };
  });
}

/** Invoices and mails shown on a customer's page: the newest ones, with how many there are in all. */
export const CUSTOMER_OVERVIEW_LIMIT = 50;

export type CustomerContract = Pick<
  SubscriptionRow,
  "id" | "status" | "paidThrough" | "cancelAtPeriodEnd" | "paymentMethodId" | "createdAt" | "endedAt" | "trialEnd" | "testClockId"
> & { planName: string | null; productName: string; amount: number; currency: string; interval: BillingInterval };
export type CustomerCard = PaymentMethodRow & { isDefault: boolean; contractIds: string[] };
export type CustomerInvoice = Pick<InvoiceRow, "id" | "subscriptionId" | "kind" | "status" | "total" | "currency" | "issuedAt" | "paidAt" | "amountRefunded">;
export type CustomerMail = Pick<MailRow, "id" | "subscriptionId" | "template" | "subject" | "status" | "queuedAt" | "sentAt">;

export type CustomerOverview = {
  customer: CustomerRow;
  /** The test clock the customer lives on (everything of theirs is test data), or null. */
  testClock: { id: string; name: string | null } | null;
  contracts: CustomerContract[];
  cards: CustomerCard[];
  invoices: { rows: CustomerInvoice[]; total: number };
  mails: { rows: CustomerMail[]; total: number };
};

/** A customer of the merchant's with their contracts, cards, newest invoices and mails; another's is not_found. */
export async function getCustomerOverview(ctx: ReadContext, id: string): Promise<CustomerOverview> {
  return ctx.db.transaction(async (tx) => {
    const customer = await getCustomer({ db: tx, merchantId: ctx.merchantId }, id);
    const [testClock] = customer.testClockId ? await tx.select({ id: testClocks.id, name: testClocks.name }).from(testClocks).where(eq(testClocks.id, customer.testClockId)) : [];
    const mine = <T extends { merchantId: PgColumn; customerId: PgColumn }>(table: T) => and(eq(table.merchantId, ctx.merchantId), eq(table.customerId, id));
    const contracts = await tx
      .select({
        id: subscriptions.id,
        status: subscriptions.status,
        paidThrough: subscriptions.paidThrough,
        cancelAtPeriodEnd: subscriptions.cancelAtPeriodEnd,
        paymentMethodId: subscriptions.paymentMethodId,
        createdAt: subscriptions.createdAt,
        endedAt: subscriptions.endedAt,
        trialEnd: subscriptions.trialEnd,
        testClockId: subscriptions.testClockId,
        planName: plans.name,
        productName: products.name,
        amount: plans.amount,
        currency: plans.currency,
        interval: plans.interval,
      })
      .from(subscriptions)
      .innerJoin(plans, eq(plans.id, subscriptions.planId))
      .innerJoin(products, eq(products.id, plans.productId))
      .where(mine(subscriptions))
      .orderBy(desc(subscriptions.createdAt), desc(subscriptions.id));
    const cards = await tx.select().from(paymentMethods).where(mine(paymentMethods)).orderBy(desc(paymentMethods.createdAt), desc(paymentMethods.id));
    const invoiceRows = await tx
      .select({
        id: invoices.id,
        subscriptionId: invoices.subscriptionId,
        kind: invoices.kind,
        status: invoices.status,
        total: invoices.total,
        currency: invoices.currency,
        issuedAt: invoices.issuedAt,
        paidAt: invoices.paidAt,
        amountRefunded: invoices.amountRefunded,
      })
      .from(invoices)
      .where(mine(invoices))
      .orderBy(desc(invoices.issuedAt), desc(invoices.id))
      .limit(CUSTOMER_OVERVIEW_LIMIT);
    const [invoiceCount] = await tx.select({ n: count() }).from(invoices).where(mine(invoices));
    const mailRows = await tx
      .select({ id: mails.id, subscriptionId: mails.subscriptionId, template: mails.template, subject: mails.subject, status: mails.status, queuedAt: mails.queuedAt, sentAt: mails.sentAt })
      .from(mails)
      .where(mine(mails))
      .orderBy(desc(mails.queuedAt), desc(mails.id))
      .limit(CUSTOMER_OVERVIEW_LIMIT);
    const [mailCount] = await tx.select({ n: count() }).from(mails).where(mine(mails));
    return {
      customer,
      testClock: testClock ?? null,
      contracts,
      cards: cards.map((card) => ({
        ...card,
        isDefault: card.id === customer.defaultPaymentMethodId,
        contractIds: contracts.filter((c) => c.paymentMethodId === card.id).map((c) => c.id),
      })),
      invoices: { rows: invoiceRows, total: invoiceCount?.n ?? 0 },
      mails: { rows: mailRows, total: mailCount?.n ?? 0 },
    };
  });
}
