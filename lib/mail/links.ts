import { signLinkToken } from "@/lib/auth/signed-link";

/** Where mails' links point and how they are signed: plain settings handed to mail code, which reads no config. */
export type MailLinks = { baseUrl: string; secret: string; ttlDays: number };

export function mypageUrl(links: MailLinks): string {
  return `${links.baseUrl}/mypage`;
}

/** A signed link that opens the contract's card page without a password, for `ttlDays` (7 by default) from `now`. */
export function cardUpdateUrl(links: MailLinks, subscriptionId: string, now: Date): string {
  const token = signLinkToken(links.secret, "card_update", subscriptionId, new Date(now.getTime() + links.ttlDays * 86_400_000));
  return `${links.baseUrl}/mypage/card?token=${token}`;
}

/** A signed link to the receipt of a paid invoice, for `ttlDays` from `now` (the receipt mail carries it). */
export function receiptUrl(links: MailLinks, invoiceId: string, now: Date): string {
  const token = signLinkToken(links.secret, "receipt", invoiceId, new Date(now.getTime() + links.ttlDays * 86_400_000));
  return `${links.baseUrl}/r/${token}`;
}
