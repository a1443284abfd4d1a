/**
 * The numbers a buyer quotes when paying a 後払い invoice: the konbini / post office payment number (払込票番号) and
 * the bank transfer reference (振込依頼人番号). Each ends in a Luhn check digit, so that a mistyped digit or two
 * swapped neighbours in a payment notice is caught instead of paying someone else's order.
 */

/** The Luhn check digit of a string of digits. */
export function luhnCheckDigit(digits: string): number {
  if (!/^\d+$/.test(digits)) throw new Error(`not digits: ${digits}`);
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // From the right, the first digit left of the check digit is doubled, then every other one.
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export const withCheckDigit = (digits: string): string => `${digits}${luhnCheckDigit(digits)}`;

/** Whether a number as typed (spaces and hyphens allowed, full-width digits too) carries a right check digit. */
export function hasValidCheckDigit(typed: string): boolean {
  const digits = typed.normalize("NFKC").replace(/[\s-]/g, "");
  return /^\d{2,}$/.test(digits) && luhnCheckDigit(digits.slice(0, -1)) === Number(digits.slice(-1));
}

/** 払込票番号: 13 digits (12 + check). */
export const PAYMENT_NUMBER_BODY_DIGITS = 12;
/** 振込依頼人番号: 10 digits (9 + check). */
export const BANK_REFERENCE_BODY_DIGITS = 9;

/** A payment number or bank reference from random digits (`randomDigit` yields 0–9): the service draws them. */
export function drawReference(bodyDigits: number, randomDigit: () => number): string {
  // A leading zero would be lost by spreadsheets opening the CSV: the first digit is 1–9.
  let body = String(1 + (randomDigit() % 9));
  while (body.length < bodyDigits) body += String(randomDigit() % 10);
  return withCheckDigit(body);
}
