/**
 * Who a buyer is, whatever way the order was typed: the same person registered with full-width digits, another
 * hyphen, a capitalised email or a differently spaced address is the same buyer. Screening counts what a buyer owes
 * and their history across these keys (any one matching is the same buyer).
 */
export type BuyerKeys = { phone: string | null; email: string | null; address: string | null };

const DASHES = /[\s\-‐‑‒–—―−ー()（）]/g;

/** Digits only, a +81 country code made the domestic 0: "０９０-１２３４-５６７８", "+81 90 1234 5678" → "09012345678". */
export function normalizePhone(input: string): string | null {
  let digits = input.normalize("NFKC").replace(DASHES, "");
  if (digits.startsWith("+81")) digits = `0${digits.slice(3)}`;
  return /^0\d{9,10}$/.test(digits) ? digits : null;
}

export function normalizeEmail(input: string): string | null {
  const email = input.normalize("NFKC").trim().toLowerCase();
  return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) ? email : null;
}

// 丁目・番地・号 and the hyphens people use for them are one separator; so are spaces.
const ADDRESS_SEPARATORS = /(丁目|番地|番|号|[\-‐‑‒–—―−ー－の])+/g;

/** The address as one comparable string: NFKC (full-width → half), no spaces, 1丁目2番3号 ≡ 1-2-3. */
export function normalizeAddress(postalCode: string, address: string): string | null {
  const text = address.normalize("NFKC").replace(/\s+/g, "").replace(ADDRESS_SEPARATORS, "-").replace(/-+$/, "").trim();
  return text ? `${postalCode}|${text}` : null;
}

export function buyerKeys(buyer: { phone: string; email: string; postalCode: string; address: string }): BuyerKeys {
  return { phone: normalizePhone(buyer.phone), email: normalizeEmail(buyer.email), address: normalizeAddress(buyer.postalCode, buyer.address) };
}
