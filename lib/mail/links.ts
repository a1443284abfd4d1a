import { signLinkToken } from "@/lib/auth/signed-link";
import { mypagePath } from "@/lib/mypage/urls";

/** Where mails' links point and how they are signed: plain settings handed to mail code, which reads no config. */
export type MailLinks = { baseUrl: string; secret: string; ttlDays: number };

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
