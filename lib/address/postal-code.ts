/**
 * A Japanese postal code as typed, made the 7 digits Japan Post files it under. Shared by the browser (to know when
 * to look an address up) and the server (to validate the request), so both agree on what counts as complete.
 */

// NFKC makes full-width digits and most hyphens ASCII; what it leaves are the dash-like marks a Japanese IME may
// type for the hyphen key (ー in kana mode, ‐ − ― from conversion), and the 〒 mark and spaces people paste along.
const SEPARATORS = /[\s〒\-‐‑‒–—―−ー]/g;

/** "１００－０００１", "〒100-0001", "100 0001" → "1000001"; anything that is not then exactly 7 digits → null. */
export function normalizePostalCode(input: string): string | null {
  const digits = input.normalize("NFKC").replace(SEPARATORS, "");
  return /^\d{7}$/.test(digits) ? digits : null;
}
