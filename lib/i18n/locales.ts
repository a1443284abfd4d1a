/** The languages of every page: Japanese first (the default), English second. */
export const LOCALES = ["ja", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "ja";
/** Remembers a visitor's language where no signed-in person has one of their own (sign-in page, later mypage). */
export const LOCALE_COOKIE = "keizoku-locale";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}
