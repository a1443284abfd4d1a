import type { CustomerTokenPurpose } from "@/db/schema";

/** The mypage of a merchant: /mypage/<merchant id>/… (a customer's email is unique per merchant only). */
export const mypagePath = (merchantId: string, rest = "") => `/mypage/${encodeURIComponent(merchantId)}${rest}`;

const TOKEN_PAGE: Record<CustomerTokenPurpose, string> = { sign_in: "/sign-in/link", password_reset: "/reset", email_change: "/email" };

/** Where a mailed token opens: a confirmation page that acts only when the customer presses its button (a POST). */
export const tokenPagePath = (merchantId: string, purpose: CustomerTokenPurpose, token: string) => `${mypagePath(merchantId, TOKEN_PAGE[purpose])}?token=${encodeURIComponent(token)}`;
