import { eq } from "drizzle-orm";
import { createTranslator } from "next-intl";
import { getLocale } from "next-intl/server";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { merchants } from "@/db/schema";
import { baseUrl, env } from "@/lib/env";
import { DEFAULT_LOCALE, isLocale, type Locale } from "@/lib/i18n/locales";
import { configuredPlatform } from "@/lib/platform";
import { getDatabase } from "@/lib/runtime";
import type { ServiceContext } from "@/lib/services/context";
import { endUserContext } from "@/lib/services/contexts";
import { type CustomerSession, readCustomerSession } from "@/lib/services/mypage/customer-sessions";
import { MESSAGES } from "@/messages";
import { mypagePath } from "./urls";

/** The mypage's own cookie: never the staff session's (next-auth), scoped to one merchant's mypage by its path. */
export const MYPAGE_COOKIE = "keizoku-mypage";

export type SignedInCustomer = { session: CustomerSession; ctx: ServiceContext; locale: Locale };

/** The merchant a mypage URL names, or null (the pages answer 404). */
export const mypageMerchant = cache(async (merchantId: string) => {
  const platform = configuredPlatform(await getDatabase());
  const [row] = await platform.db.select({ id: merchants.id, name: merchants.name, timeZone: merchants.timeZone }).from(merchants).where(eq(merchants.id, merchantId));
  return row ?? null;
});

/**
 * The mypage realm's one way from a request to a service context: the cookie's token names an unexpired session of
 * this merchant, whose customer the context acts as (their own contracts only, authorize.ts). Cached per request.
 */
export const customerSession = cache(async (merchantId: string): Promise<SignedInCustomer | null> => {
  const token = (await cookies()).get(MYPAGE_COOKIE)?.value ?? "";
  if (!token) return null;
  const platform = configuredPlatform(await getDatabase());
  const session = await readCustomerSession(platform, merchantId, token);
  if (!session) return null;
  return { session, ctx: endUserContext(platform, { merchantId, customerId: session.customerId }), locale: session.customer.locale };
});

/** For mypage pages: the signed-in customer, or the merchant's sign-in page. */
export async function requireCustomer(merchantId: string): Promise<SignedInCustomer> {
  const signedIn = await customerSession(merchantId);
  if (!signedIn) redirect(mypagePath(merchantId, "/sign-in"));
  return signedIn;
}

// Secure in production, unless the site itself is served over plain http (a local `next start`, the browser tests).
const secureCookie = () => env().NODE_ENV === "production" && !baseUrl().startsWith("http:");

/** Sets the session cookie (httpOnly, SameSite=Lax, Secure in production), for this merchant's mypage only. */
export async function setMypageCookie(merchantId: string, token: string, expiresAt: Date): Promise<void> {
  (await cookies()).set(MYPAGE_COOKIE, token, { httpOnly: true, sameSite: "lax", secure: secureCookie(), path: mypagePath(merchantId), expires: expiresAt });
}

export async function clearMypageCookie(merchantId: string): Promise<void> {
  (await cookies()).set(MYPAGE_COOKIE, "", { httpOnly: true, sameSite: "lax", secure: secureCookie(), path: mypagePath(merchantId), maxAge: 0 });
}

export async function mypageToken(): Promise<string> {
  return (await cookies()).get(MYPAGE_COOKIE)?.value ?? "";
}

/** The mypage's texts in a language: the customer's once signed in, Japanese before. */
export function mypageTranslator(locale: Locale) {
  return createTranslator({ locale, messages: MESSAGES[locale], namespace: "mypage" });
}

/** Before sign-in the customer is not known: the visitor's own choice of language (its cookie), else Japanese. */
export async function visitorLocale(): Promise<Locale> {
  const locale = await getLocale();
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}
