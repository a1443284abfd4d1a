import type { MailLocale } from "./default-subjects";

const FORMATS: Record<MailLocale, string> = { ja: "ja-JP", en: "en-US" };

// Building an Intl.DateTimeFormat costs about a hundred times more than formatting with one (~150 µs against ~1 µs),
// and a bill run writes two dates into every mail: keep one per language and time zone.
const formats = new Map<string, Intl.DateTimeFormat>();

/** A day as a customer reads it in a mail: 2027年7月1日 or July 1, 2027, in the merchant's time zone. */
export function formatMailDate(instant: Date, timeZone: string, locale: MailLocale): string {
  const key = `${locale}\u0000${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(FORMATS[locale], { timeZone, year: "numeric", month: "long", day: "numeric" });
    formats.set(key, format);
  }
  return format.format(instant);
}
