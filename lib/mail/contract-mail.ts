import { formatLocalDate } from "@/lib/billing/calendar";
import type { MailDecision } from "@/lib/billing/effects";
import { formatMoney } from "@/lib/billing/money";
import type { Contract } from "@/lib/services/internal/contract";
import type { MailToQueue } from "./enqueue-mail";
import { cardUpdateUrl, type MailLinks, mypageUrl, receiptUrl } from "./links";

/** The variables a contract's mails may use (%%name%%, %%plan%%, …), as the contract is now. */
export function contractMailVariables(contract: Contract, links: MailLinks, amount?: { amount: number; currency: string }): Record<string, string> {
  const { sub, plan, product, customer, merchant, timeZone, now } = contract;
  return {
    name: customer.name,
    plan: plan.name ?? product.name,
    product: product.name,
    amount: formatMoney(amount ?? { amount: plan.amount, currency: plan.currency }),
    paid_through: sub.paidThrough ? formatLocalDate(sub.paidThrough, timeZone) : "",
    next_charge_date: sub.paidThrough && (sub.status === "active" || sub.status === "trialing") && !sub.cancelAtPeriodEnd ? formatLocalDate(sub.paidThrough, timeZone) : "",
    trial_end: sub.trialEnd ? formatLocalDate(sub.trialEnd, timeZone) : "",
    mypage_url: mypageUrl(links),
    card_update_url: cardUpdateUrl(links, sub.id, now),
    merchant: merchant.senderName ?? merchant.name,
    footer: merchant.mailFooter ?? merchant.name,
  };
}

/**
 * The outbox row for a mail to a contract's customer. A mail the merchant switched off (for the product, or for all
 * products) is still written, as `skipped`, so the contract's timeline can say it was not sent. Variables are read
 * now, so the writer builds it after applying the decision's changes (e.g. the new paid-through date).
 */
export function contractMail(contract: Contract, mail: MailDecision, links: MailLinks): MailToQueue {
  const off = mailSwitchedOff(contract, mail.template);
  return {
    merchantId: contract.sub.merchantId,
    template: mail.template,
    to: contract.customer.email,
    locale: contract.customer.locale,
    variables: { ...contractMailVariables(contract, links, mail.amount), ...decisionVariables(contract, mail, links) },
    idempotencyKey: mail.key,
    at: contract.now,
    customerId: contract.customer.id,
    subscriptionId: contract.sub.id,
    invoiceId: mail.invoiceId ?? null,
    productId: contract.product.id,
    testClockId: contract.sub.testClockId,
    skipped: off,
  };
}

/**
 * The variables a decision adds, as customers read them: a pause's `resume_at` (an instant) as a date in the
 * merchant's time zone; a receipt's or refund's `receipt_url`, signed for the paid invoice.
 */
function decisionVariables(contract: Contract, mail: MailDecision, links: MailLinks): Record<string, string> {
  const own: Record<string, string> = { ...mail.variables };
  if (own.resume_at) {
    const at = new Date(own.resume_at);
    own.resume_at = Number.isNaN(at.getTime()) ? "" : formatLocalDate(at, contract.timeZone);
  }
  if (mail.invoiceId && (mail.template === "charge_succeeded" || mail.template === "refund")) own.receipt_url = receiptUrl(links, mail.invoiceId, contract.now);
  return own;
}

/** The product's switch wins over the merchant's; a mail is on unless one of them says off. */
function mailSwitchedOff(contract: Contract, template: MailDecision["template"]): "disabled_for_product" | "disabled_for_merchant" | null {
  const forProduct = contract.product.mailSettings[template]?.enabled;
  if (forProduct !== undefined) return forProduct ? null : "disabled_for_product";
  return contract.merchant.mailSettings[template]?.enabled === false ? "disabled_for_merchant" : null;
}
