/** An amount in the currency's minor units (yen for JPY, cents for USD). Never a float. */
export type Money = { amount: number; currency: string };

export class MoneyError extends Error {}

export function assertMinorUnits(amount: number, what = "amount"): number {
  if (!Number.isSafeInteger(amount)) throw new MoneyError(`${what} must be an integer number of minor units, got ${amount}`);
  return amount;
}

// Building an Intl.NumberFormat costs tens of microseconds and every receipt mail formats an amount: keep them.
const formats = new Map<string, Intl.NumberFormat>();

function currencyFormat(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}\u0000${currency.toUpperCase()}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: "currency", currency: currency.toUpperCase() });
    formats.set(key, format);
  }
  return format;
}

const exponents = new Map<string, number>();

/** Digits after the decimal point for an ISO 4217 currency (0 for JPY, 2 for USD). */
export function currencyExponent(currency: string): number {
  let exponent = exponents.get(currency);
  if (exponent === undefined) {
    exponent = currencyFormat("en", currency).resolvedOptions().maximumFractionDigits ?? 0;
    exponents.set(currency, exponent);
  }
  return exponent;
}

export function isKnownCurrency(currency: string): boolean {
  if (!/^[a-zA-Z]{3}$/.test(currency)) return false;
  return Intl.supportedValuesOf("currency").includes(currency.toUpperCase());
}

/**
 * "¥3,100" / "$12.50" for mails and screens. The yen sign is the half-width ¥ whatever the locale: ja-JP's Intl data
 * writes the full-width yen sign (U+FFE5), which Japanese invoices and consoles do not use beside half-width digits.
 */
export function formatMoney(money: Money, locale = "ja-JP"): string {
  const exponent = currencyExponent(money.currency);
  const text = currencyFormat(locale, money.currency).format(money.amount / 10 ** exponent);
  return text.replace("\uFFE5", "¥");
}

export function sumAmounts(amounts: readonly number[]): number {
  return amounts.reduce((total, amount) => assertMinorUnits(total + amount), 0);
}

/**
 * An amount typed by a person, in the currency's major units ("1,500", "１５００", "¥1,500", "12.50" for USD), as
 * minor units; null when it is not a positive-or-zero amount the currency can hold (too many decimals, not a number).
 * Full-width digits and punctuation are normalised first (NFKC), as Japanese keyboards type them.
 */
export function parseMoneyInput(text: string, currency: string): number | null {
  const cleaned = text.normalize("NFKC").replace(/[\s,¥$￥]/g, "");
  const exponent = currencyExponent(currency);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(cleaned);
  if (!match || (match[2] ?? "").length > exponent) return null;
  const amount = Number(match[1]) * 10 ** exponent + Number((match[2] ?? "").padEnd(exponent, "0") || "0");
  return Number.isSafeInteger(amount) ? amount : null;
}
