import type { MailDecision } from "@/lib/billing/effects";
import { formatMoney } from "@/lib/billing/money";
import type { Contract } from "@/lib/services/internal/contract";
import type { MailToQueue } from "./enqueue-mail";
import { type MailLinks, type MailLinkSubjects, mypageUrl } from "./links";
import { formatMailDate } from "./mail-date";

/**
 * The variables a contract's mails may use (%%name%%, %%plan%%, …), as the contract is now, with dates written in the
 * customer's language. Not the signed links: a mail keeps what identifies them (contractMailLinks), and they are
 * signed when it is sent.
 */
export function contractMailVariables(contract: Contract, links: MailLinks, amount?: { amount: number; currency: string }): Record<string, string> {
  const { sub, plan, product, customer, merchant, timeZone } = contract;
  const date = (instant: Date | null) => (instant ? formatMailDate(instant, timeZone, customer.locale) : "");
  return {
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
}

/**
 * The signed links a contract's mail carries: the card page of the contract, a receipt's or refund's paid invoice, and
 * the invoice whose charge a payment_authentication mail asks the customer to authenticate.
 */
export function contractMailLinks(contract: Contract, mail?: Pick<MailDecision, "template" | "invoiceId">): MailLinkSubjects {
  const receipt = mail?.invoiceId && (mail.template === "charge_succeeded" || mail.template === "refund") ? { receipt: mail.invoiceId } : {};
  const payment = mail?.invoiceId && mail.template === "payment_authentication" ? { payment_authentication: mail.invoiceId } : {};
  return { card_update: contract.sub.id, ...receipt, ...payment };
}

/**
 * The outbox row for a mail to a contract's customer. A mail the merchant switched off (for the product, or for all
 * products) is still written, as `skipped`, so the contract's timeline can say it was not sent. Variables are read
 * now, so the writer builds it after applying the decision's changes (e.g. the new paid-through date).
 */
export function contractMail(contract: Contract, mail: MailDecision, links: MailLinks): MailToQueue {
  return {
    merchantId: contract.sub.merchantId,
    template: mail.template,
    to: contract.customer.email,
    locale: contract.customer.locale,
    variables: { ...contractMailVariables(contract, links, mail.amount), ...decisionVariables(contract, mail) },
    links: contractMailLinks(contract, mail),
    idempotencyKey: mail.key,
    at: contract.now,
    customerId: contract.customer.id,
    subscriptionId: contract.sub.id,
    invoiceId: mail.invoiceId ?? null,
    productId: contract.product.id,
    testClockId: contract.sub.testClockId,
    skipped: mailSwitchedOff(contract, mail.template),
  };
}

/** The variables a decision adds, as customers read them: a pause's `resume_at` (an instant) as a date. */
function decisionVariables(contract: Contract, mail: MailDecision): Record<string, string> {
  const own: Record<string, string> = { ...mail.variables };
  if (own.resume_at) {
    const at = new Date(own.resume_at);
    own.resume_at = Number.isNaN(at.getTime()) ? "" : formatMailDate(at, contract.timeZone, contract.customer.locale);
  }
  return own;
}

/** The product's switch wins over the merchant's; a mail is on unless one of them says off. */
function mailSwitchedOff(contract: Contract, template: MailDecision["template"]): "disabled_for_product" | "disabled_for_merchant" | null {
  const forProduct = contract.product.mailSettings[template]?.enabled;
  if (forProduct !== undefined) return forProduct ? null : "disabled_for_product";
  return contract.merchant.mailSettings[template]?.enabled === false ? "disabled_for_merchant" : null;
}
