import { cookies } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { DEFAULT_TIME_ZONE } from "@/lib/billing/calendar";
import { staffSession } from "@/lib/console/staff-context";
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE } from "@/lib/i18n/locales";
import { MESSAGES } from "@/messages";

/**
 * The language and time zone of a request, without locale routing: a signed-in staff member's own choice and their
 * merchant's time zone; otherwise the visitor's cookie, else Japanese and Tokyo.
 */
export default getRequestConfig(async () => {
  const session = await staffSession();
  const cookie = (await cookies()).get(LOCALE_COOKIE)?.value;
  const locale = session?.staff.locale ?? (isLocale(cookie) ? cookie : DEFAULT_LOCALE);
  return { locale, messages: MESSAGES[locale], timeZone: session?.staff.merchant.timeZone ?? DEFAULT_TIME_ZONE };
});
