/**
 * 適格請求書発行事業者登録番号: "T" and 13 digits. The 13 digits are a 法人番号 (or, for a sole proprietor, a number
 * from the same series): a check digit first, then a 12-digit base. Check digit = 9 − (Σ digit × weight mod 9), the
 * weights 1, 2, 1, 2… counted from the base's lowest digit (法人番号の指定等に関する省令).
 */

/** The check digit of a 12-digit 法人番号 base (always 1–9). */
export function corporateNumberCheckDigit(base: string): number {
  if (!/^\d{12}$/.test(base)) throw new Error("a 法人番号 base is 12 digits");
  let sum = 0;
  for (let n = 1; n <= 12; n++) sum += Number(base[12 - n]) * (n % 2 === 1 ? 1 : 2);
  return 9 - (sum % 9);
}

/**
 * What a merchant typed, in the stored form: full-width digits and letters made half-width (NFKC, as an IME types
 * them), a lowercase t upper, and the spaces and hyphens typed for readability gone.
 */
export function normaliseRegistrationNumber(input: string): string {
  return input.normalize("NFKC").replace(/[\s\-‐ー]/g, "").toUpperCase();
}

export type RegistrationNumberProblem = "format" | "check_digit";

/** Why a normalised registration number is not one, or null when it is. */
export function registrationNumberProblem(value: string): RegistrationNumberProblem | null {
  const match = /^T(\d)(\d{12})$/.exec(value);
  if (!match) return "format";
  return corporateNumberCheckDigit(match[2]!) === Number(match[1]) ? null : "check_digit";
}
