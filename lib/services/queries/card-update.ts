import { eq } from "drizzle-orm";
import { customers, merchants } from "@/db/schema";
import type { BillingInterval } from "@/lib/billing/plan";
import { isEnded, type SubscriptionStatus } from "@/lib/billing/subscription-state";
import type { Locale } from "@/lib/i18n/locales";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { type CardOnFile, getSubscriptionDetail } from "./subscription-detail";

/** What the card page of a signed link shows its customer: whose contract, its state, the card, what is owed. */
export type CardUpdateView = {
  subscriptionId: string;
  merchantName: string;
  customerId: string;
  customerName: string;
  locale: Locale;
  timeZone: string;
  productName: string;
  planName: string;
  amount: number;
  currency: string;
  interval: BillingInterval;
  status: SubscriptionStatus;
  paidThrough: Date | null;
  card: Pick<CardOnFile, "brand" | "last4" | "expMonth" | "expYear" | "expiry"> | null;
  owed: { amount: number; currency: string } | null;
  /** Ended contracts (canceled, withdrawn) keep their card: the page says so instead of showing the form. */
  changeable: boolean;
};

/** The contract of a card-update link; an end user's own only (another's is not found, as an unknown id). */
export async function getCardUpdateView(ctx: ServiceContext, subscriptionId: string): Promise<CardUpdateView> {
  const detail = await getSubscriptionDetail(ctx, subscriptionId);
  if (ctx.actor.type === "customer" && ctx.actor.id !== detail.customer.id) throw notFound("subscription", subscriptionId, "id");
  const [row] = await ctx.db
    .select({ merchantName: merchants.name, senderName: merchants.senderName, locale: customers.locale })
    .from(customers)
    .innerJoin(merchants, eq(merchants.id, customers.merchantId))
    .where(eq(customers.id, detail.customer.id));
  const { subscription: sub, card } = detail;
  return {
    subscriptionId: sub.id,
    merchantName: row!.senderName ?? row!.merchantName,
    customerId: detail.customer.id,
    customerName: detail.customer.name,
    locale: row!.locale,
    timeZone: detail.timeZone,
    productName: detail.plan.productName,
    planName: detail.plan.name,
    amount: detail.plan.amount,
    currency: detail.plan.currency,
    interval: detail.plan.interval,
    status: sub.status,
    paidThrough: sub.paidThrough,
    card: card && !card.detached ? { brand: card.brand, last4: card.last4, expMonth: card.expMonth, expYear: card.expYear, expiry: card.expiry } : null,
    owed: detail.owedInvoice && !isEnded(sub.status) ? { amount: detail.owedInvoice.total, currency: detail.owedInvoice.currency } : null,
    changeable: !isEnded(sub.status),
  };
}
