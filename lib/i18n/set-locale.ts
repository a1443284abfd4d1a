"use server";

import { cookies } from "next/headers";
import { staffSession } from "@/lib/console/staff-context";
import { updateStaffLocale } from "@/lib/services/update-staff-locale";
import { isLocale, LOCALE_COOKIE } from "./locales";

/**
 * Switches the language: remembered in a cookie for this browser, and, for a signed-in staff member, as their own
 * console language (kept across browsers). Anyone may call it; it changes only the caller's own preference.
 */
export async function setLocale(locale: string): Promise<{ ok: boolean }> {
  if (!isLocale(locale)) return { ok: false };
  (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", sameSite: "lax", maxAge: 365 * 24 * 60 * 60, httpOnly: true });
  const session = await staffSession();
  if (session) await updateStaffLocale(session.ctx, { locale });
  return { ok: true };
}
