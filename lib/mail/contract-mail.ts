import type { MailDecision } from "@/lib/billing/effects";
import { formatMoney } from "@/lib/billing/money";
import type { Contract } from "@/lib/services/internal/contract";
import type { MailToQueue } from "./enqueue-mail";
import { cardUpdateUrl, type MailLinks, mypageUrl, receiptUrl } from "./links";
import { formatMailDate } from "./mail-date";

/**
 * The variables a contract's mails may use (%%name%%, %%plan%%, …), as the contract is now: everything is read before
 * the link is signed (signing is asynchronous), so later changes to the in-memory contract do not leak in. Dates are
 * written in the customer's language. Links are valid for `links.ttlDays` from `linkTime`, the real time of the
 * decision: a test-clock customer's mail is delivered now, whatever the clock says.
 */
export async function contractMailVariables(contract: Contract, links: MailLinks, linkTime: Date, amount?: { amount: number; currency: string }): Promise<Record<string, string>> {
  const { sub, plan, product, customer, merchant, timeZone } = contract;
  const date = (instant: Date | null) => (instant ? formatMailDate(instant, timeZone, customer.locale) : "");
  const cardLink = cardUpdateUrl(links, { merchantId: sub.merchantId, subscriptionId: sub.id }, linkTime);
  const variables = {
    name: customer.name,
    plan: plan.name ?? product.name,
    product: product.name,
    amount: formatMoney(amount ?? { amount: plan.amount, currency: plan.currency }),
    paid_through: date(sub.paidThrough),
    next_charge_date: (sub.status === "active" || sub.status === "trialing") && !sub.cancelAtPeriodEnd ? date(sub.paidThrough) : "",
    trial_end: date(sub.trialEnd),
    mypage_url: mypageUrl(links, sub.merchantId),
    merchant: merchant.senderName ?? merchant.name,
    footer: merchant.mailFooter ?? merchant.name,
  };
  return { ...variables, card_update_url: await cardLink };
}

/**
 * The outbox row for a mail to a contract's customer. A mail the merchant switched off (for the product, or for all
 * products) is still written, as `skipped`, so the contract's timeline can say it was not sent. Variables are read
 * now, so the writer builds it after applying the decision's changes (e.g. the new paid-through date).
 */
export async function contractMail(contract: Contract, mail: MailDecision, links: MailLinks, linkTime: Date): Promise<MailToQueue> {
  const variables = contractMailVariables(contract, links, linkTime, mail.amount);
  const own = decisionVariables(contract, mail, links, linkTime);
  const queued: Omit<MailToQueue, "variables"> = {
    merchantId: contract.sub.merchantId,
    template: mail.template,
    to: contract.customer.email,
    locale: contract.customer.locale,
    idempotencyKey: mail.key,
    at: contract.now,
    customerId: contract.customer.id,
    subscriptionId: contract.sub.id,
    invoiceId: mail.invoiceId ?? null,
    productId: contract.product.id,
    testClockId: contract.sub.testClockId,
    skipped: mailSwitchedOff(contract, mail.template),
  };
  return { ...queued, variables: { ...(await variables), ...(await own) } };
}

/**
 * The variables a decision adds, as customers read them: a pause's `resume_at` (an instant) as a date; a receipt's or
 * refund's `receipt_url`, signed for the paid invoice.
 */
async function decisionVariables(contract: Contract, mail: MailDecision, links: MailLinks, linkTime: Date): Promise<Record<string, string>> {
  const own: Record<string, string> = { ...mail.variables };
  if (own.resume_at) {
    const at = new Date(own.resume_at);
    own.resume_at = Number.isNaN(at.getTime()) ? "" : formatMailDate(at, contract.timeZone, contract.customer.locale);
  }
  if (mail.invoiceId && (mail.template === "charge_succeeded" || mail.template === "refund")) {
    own.receipt_url = await receiptUrl(links, { merchantId: contract.sub.merchantId, invoiceId: mail.invoiceId }, linkTime);
  }
  return own;
}

/** The product's switch wins over the merchant's; a mail is on unless one of them says off. */
function mailSwitchedOff(contract: Contract, template: MailDecision["template"]): "disabled_for_product" | "disabled_for_merchant" | null {
  const forProduct = contract.product.mailSettings[template]?.enabled;
  if (forProduct !== undefined) return forProduct ? null : "disabled_for_product";
  return contract.merchant.mailSettings[template]?.enabled === false ? "disabled_for_merchant" : null;
}
