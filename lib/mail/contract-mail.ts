import { formatLocalDate } from "@/lib/billing/calendar";
import type { MailDecision } from "@/lib/billing/effects";
import { formatMoney } from "@/lib/billing/money";
import type { Contract } from "@/lib/services/internal/contract";
import type { MailToQueue } from "./enqueue-mail";
import { cardUpdateUrl, type MailLinks, mypageUrl } from "./links";

/**
 * The variables a contract's mails may use (%%name%%, %%plan%%, …), as the contract is now: everything is read before
 * the link is signed (signing is asynchronous), so later changes to the in-memory contract do not leak in.
 */
export async function contractMailVariables(contract: Contract, links: MailLinks, amount?: { amount: number; currency: string }): Promise<Record<string, string>> {
  const { sub, plan, product, customer, merchant, timeZone, now } = contract;
  const cardLink = cardUpdateUrl(links, { merchantId: sub.merchantId, subscriptionId: sub.id }, now);
  const variables = {
    name: customer.name,
    plan: plan.name ?? product.name,
    product: product.name,
    amount: formatMoney(amount ?? { amount: plan.amount, currency: plan.currency }),
    paid_through: sub.paidThrough ? formatLocalDate(sub.paidThrough, timeZone) : "",
    next_charge_date: sub.paidThrough && (sub.status === "active" || sub.status === "trialing") && !sub.cancelAtPeriodEnd ? formatLocalDate(sub.paidThrough, timeZone) : "",
    trial_end: sub.trialEnd ? formatLocalDate(sub.trialEnd, timeZone) : "",
    mypage_url: mypageUrl(links),
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
export async function contractMail(contract: Contract, mail: MailDecision, links: MailLinks): Promise<MailToQueue> {
  const off = mailSwitchedOff(contract, mail.template);
  const variables = contractMailVariables(contract, links, mail.amount);
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
    skipped: off,
  };
  return { ...queued, variables: { ...(await variables), ...mail.variables } };
}

/** The product's switch wins over the merchant's; a mail is on unless one of them says off. */
function mailSwitchedOff(contract: Contract, template: MailDecision["template"]): "disabled_for_product" | "disabled_for_merchant" | null {
  const forProduct = contract.product.mailSettings[template]?.enabled;
  if (forProduct !== undefined) return forProduct ? null : "disabled_for_product";
  return contract.merchant.mailSettings[template]?.enabled === false ? "disabled_for_merchant" : null;
}
