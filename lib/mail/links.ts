import { signLinkToken } from "@/lib/auth/signed-link";
import { mypagePath } from "@/lib/mypage/urls";

/** Where mails' links point and how they are signed: plain settings handed to mail code, which reads no config. */
export type MailLinks = { baseUrl: string; secret: string; ttlDays: number };

/**
 * The signed links a mail carries, by what identifies each: the contract whose card page it opens (card_update), the
 * paid invoice whose receipt it opens (receipt), the invoice whose declined charge the customer authenticates
 * (payment_authentication). A queued mail keeps only these (mails.links); the delivery worker
 * signs the links when it sends the mail (mailLinkVariables), so that each is valid for `ttlDays` from then.
 */
export type MailLinkSubjects = Partial<Record<MailLinkPurpose, string>>;

/** The signed links mails carry (a checkout's continuation is never mailed). */
const MAIL_LINK_PURPOSES = ["card_update", "receipt", "payment_authentication", "atobarai_invoice"] as const;
type MailLinkPurpose = (typeof MAIL_LINK_PURPOSES)[number];

/** The merchant's mypage (its sign-in page when signed out): /mypage/<merchant id>, lib/mypage/urls.ts. */
export function mypageUrl(links: MailLinks, merchantId: string): string {
  return `${links.baseUrl}${mypagePath(merchantId)}`;
}

const expiry = (links: MailLinks, now: Date) => new Date(now.getTime() + links.ttlDays * 86_400_000);

/** A signed link that opens the contract's card page without a password, for `ttlDays` (7 by default) from `now`. */
export async function cardUpdateUrl(links: MailLinks, contract: { merchantId: string; subscriptionId: string }, now: Date): Promise<string> {
  const token = await signLinkToken(links.secret, { purpose: "card_update", subject: contract.subscriptionId, merchantId: contract.merchantId, expiresAt: expiry(links, now) });
  return `${links.baseUrl}/mypage/card?token=${token}`;
}

/** A signed link to the receipt of a paid invoice, for `ttlDays` from `now` (the receipt mail carries it). */
export async function receiptUrl(links: MailLinks, invoice: { merchantId: string; invoiceId: string }, now: Date): Promise<string> {
  const token = await signLinkToken(links.secret, { purpose: "receipt", subject: invoice.invoiceId, merchantId: invoice.merchantId, expiresAt: expiry(links, now) });
  return `${links.baseUrl}/r/${token}`;
}

/** Where the customer authenticates an invoice's declined charge (app/(public)/pay/[token]). */
export const paymentAuthenticationPath = (token: string) => `/pay/${token}`;

/** A signed link to the page that authenticates an invoice's charge, for `ttlDays` from `now` (the payment_authentication mail carries it). */
export async function paymentAuthenticationUrl(links: MailLinks, invoice: { merchantId: string; invoiceId: string }, now: Date): Promise<string> {
  const token = await signLinkToken(links.secret, { purpose: "payment_authentication", subject: invoice.invoiceId, merchantId: invoice.merchantId, expiresAt: expiry(links, now) });
  return `${links.baseUrl}${paymentAuthenticationPath(token)}`;
}

/** Where a 後払い buyer opens their invoice PDF (app/(public)/b/[token]). */
export const atobaraiInvoicePath = (token: string) => `/b/${token}`;

/** A signed link to a 後払い order's invoice PDF, for `ttlDays` from `now` (the atobarai_invoice mail carries it). */
export async function atobaraiInvoiceUrl(links: MailLinks, order: { merchantId: string; orderId: string }, now: Date): Promise<string> {
  const token = await signLinkToken(links.secret, { purpose: "atobarai_invoice", subject: order.orderId, merchantId: order.merchantId, expiresAt: expiry(links, now) });
  return `${links.baseUrl}${atobaraiInvoicePath(token)}`;
}

/** The variable each link fills, and how it is signed. */
const LINK_VARIABLES: Record<MailLinkPurpose, { variable: string; sign: (links: MailLinks, merchantId: string, subject: string, now: Date) => Promise<string> }> = {
  card_update: { variable: "card_update_url", sign: (links, merchantId, subscriptionId, now) => cardUpdateUrl(links, { merchantId, subscriptionId }, now) },
  receipt: { variable: "receipt_url", sign: (links, merchantId, invoiceId, now) => receiptUrl(links, { merchantId, invoiceId }, now) },
  payment_authentication: { variable: "payment_url", sign: (links, merchantId, invoiceId, now) => paymentAuthenticationUrl(links, { merchantId, invoiceId }, now) },
  atobarai_invoice: { variable: "invoice_url", sign: (links, merchantId, orderId, now) => atobaraiInvoiceUrl(links, { merchantId, orderId }, now) },
};

/** A mail's %%card_update_url%%, %%receipt_url%% and %%payment_url%%, signed at `now` for the links it carries. */
export async function mailLinkVariables(links: MailLinks, merchantId: string, subjects: MailLinkSubjects, now: Date): Promise<Record<string, string>> {
  const carried = MAIL_LINK_PURPOSES.filter((purpose) => subjects[purpose]);
  const urls = await Promise.all(carried.map((purpose) => LINK_VARIABLES[purpose].sign(links, merchantId, subjects[purpose]!, now)));
  return Object.fromEntries(carried.map((purpose, i) => [LINK_VARIABLES[purpose].variable, urls[i]!]));
}
