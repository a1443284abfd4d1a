import type { MailLocale } from "./default-subjects";

const FORMATS: Record<MailLocale, string> = { ja: "ja-JP", en: "en-US" };

/** A day as a customer reads it in a mail: 2027年7月1日 or July 1, 2027, in the merchant's time zone. */
export function formatMailDate(instant: Date, timeZone: string, locale: MailLocale): string {
  return new Intl.DateTimeFormat(FORMATS[locale], { timeZone, year: "numeric", month: "long", day: "numeric" }).format(instant);
}
