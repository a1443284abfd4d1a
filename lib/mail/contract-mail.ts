import type { Db } from "@/db/client";
import { formatLocalDate } from "@/lib/billing/calendar";
import type { MailTemplate } from "@/lib/billing/mail-template";
import { formatMoney } from "@/lib/billing/money";
import { signLinkToken } from "@/lib/auth/signed-link";
import { baseUrl } from "@/lib/env";
import type { Contract } from "@/lib/services/contract";
import { enqueueMail, type MailToQueue } from "./enqueue-mail";

const CARD_LINK_DAYS = 30;

/** The variables a contract's mails may use (%%name%%, %%plan%%, …). */
export function contractMailVariables(contract: Contract, amount?: { amount: number; currency: string }): Record<string, string> {
  const { sub, plan, product, customer, merchant, timeZone, now } = contract;
  const cardToken = signLinkToken("card_update", sub.id, new Date(now.getTime() + CARD_LINK_DAYS * 86_400_000));
  return {
    name: customer.name,
    plan: plan.name ?? product.name,
    product: product.name,
    amount: formatMoney(amount ?? { amount: plan.amount, currency: plan.currency }),
    paid_through: sub.paidThrough ? formatLocalDate(sub.paidThrough, timeZone) : "",
    trial_end: sub.trialEnd ? formatLocalDate(sub.trialEnd, timeZone) : "",
    mypage_url: `${baseUrl()}/mypage`,
    card_update_url: `${baseUrl()}/mypage/card?token=${cardToken}`,
    merchant: merchant.senderName ?? merchant.name,
    footer: merchant.mailFooter ?? merchant.name,
  };
}

export type ContractMail = { template: MailTemplate; idempotencyKey: string; invoiceId?: string; amount?: { amount: number; currency: string } };

/**
 * The outbox row for a mail to a contract's customer, or null when the product switched that mail off. Variables
 * are read now, so a caller builds it after applying its changes (e.g. the new paid-through date).
 */
export function contractMail(contract: Contract, mail: ContractMail): MailToQueue | null {
  if (contract.product.mailSettings[mail.template]?.enabled === false) return null;
  return {
    merchantId: contract.sub.merchantId,
    template: mail.template,
    to: contract.customer.email,
    locale: contract.customer.locale,
    variables: contractMailVariables(contract, mail.amount),
    idempotencyKey: mail.idempotencyKey,
    at: contract.now,
    customerId: contract.customer.id,
    subscriptionId: contract.sub.id,
    invoiceId: mail.invoiceId ?? null,
  };
}

/** Decides on a mail to a contract's customer, once per key, unless the product switched that mail off. */
export async function queueContractMail(tx: Db, contract: Contract, mail: ContractMail): Promise<void> {
  const row = contractMail(contract, mail);
  if (row) await enqueueMail(tx, row);
}
