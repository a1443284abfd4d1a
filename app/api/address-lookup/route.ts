import { lookupPostalCode } from "@/lib/address/postal-code-lookup";

// The data changes only with a new release of the dataset package, so an answer may be kept for a day (and used a
// week longer while it is fetched again). A refused request is not kept: the next keystroke may make it valid.
const CACHE = "public, max-age=86400, stale-while-revalidate=604800";

/**
 * The addresses of a Japanese postal code, for the address forms of checkout and mypage: public (no session is
 * needed before checkout), read from the offline KEN_ALL data, no outside call. 200 {postalCode, candidates}, an
 * empty list for an unknown code; 400 for anything that is not 7 digits.
 */
export function GET(request: Request): Response {
  const input = new URL(request.url).searchParams.get("postalCode") ?? "";
  const result = lookupPostalCode(input);
  if (!result.ok) return Response.json({ error: { code: "invalid", param: "postalCode", message: result.message } }, { status: 400, headers: { "Cache-Control": "no-store" } });
  return Response.json({ postalCode: result.postalCode, candidates: result.candidates }, { headers: { "Cache-Control": CACHE } });
}
