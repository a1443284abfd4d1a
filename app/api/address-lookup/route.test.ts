import { describe, expect, it } from "vitest";
import { GET } from "./route";

const get = (query: string) => GET(new Request(`http://localhost/api/address-lookup${query}`));

describe("GET /api/address-lookup", () => {
  it("answers a code's addresses, cacheable", async () => {
    const response = get(`?postalCode=${encodeURIComponent("１００－０００１")}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=86400, stale-while-revalidate=604800");
    expect(await response.json()).toEqual({ postalCode: "1000001", candidates: [{ prefecture: "東京都", city: "千代田区", town: "千代田" }] });
  });

  it("lists every candidate of a shared code", async () => {
    const body = (await get("?postalCode=498-0000").json()) as { candidates: unknown[] };
    expect(body.candidates).toEqual([
      { prefecture: "愛知県", city: "弥富市", town: "" },
      { prefecture: "三重県", city: "桑名郡木曽岬町", town: "" },
    ]);
  });

  it("an unknown code is an empty list, not an error", async () => {
    const response = get("?postalCode=9999999");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ postalCode: "9999999", candidates: [] });
  });

  it.each(["", "?postalCode=", "?postalCode=123", "?postalCode=abcdefg", "?postal=1000001"])("%j is a 400 saying what a postal code is, not cached", async (query) => {
    const response = get(query);
    expect(response.status).toBe(400);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ error: { code: "invalid", param: "postalCode", message: "A postal code is 7 digits, such as 100-0001" } });
  });
});
