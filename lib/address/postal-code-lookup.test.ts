import { describe, expect, it } from "vitest";
import { normalizePostalCode } from "./postal-code";
import { lookupPostalCode } from "./postal-code-lookup";

describe("normalizePostalCode", () => {
  it.each([
    ["1000001", "1000001"],
    ["100-0001", "1000001"],
    ["１００－０００１", "1000001"],
    ["〒100-0001", "1000001"],
    ["〒 １００ー０００１ ", "1000001"],
    ["100‐0001", "1000001"],
    ["100−0001", "1000001"],
    ["100 0001", "1000001"],
  ])("%s is %s", (input, expected) => {
    expect(normalizePostalCode(input)).toBe(expected);
  });

  it.each(["", "100", "100-000", "100-00011", "100-000a", "abcdefg", "100/0001", "1000001\n1"])("%j is not a postal code", (input) => {
    expect(normalizePostalCode(input)).toBeNull();
  });
});

describe("lookupPostalCode (Japan Post's KEN_ALL)", () => {
  it("one town", () => {
    expect(lookupPostalCode("100-0001")).toEqual({ ok: true, postalCode: "1000001", candidates: [{ prefecture: "東京都", city: "千代田区", town: "千代田" }] });
    expect(lookupPostalCode("１５０－０００１")).toEqual({ ok: true, postalCode: "1500001", candidates: [{ prefecture: "東京都", city: "渋谷区", town: "神宮前" }] });
  });

  it("a code for a whole ward has no town (以下に掲載がない場合)", () => {
    expect(lookupPostalCode("〒060-0000")).toEqual({ ok: true, postalCode: "0600000", candidates: [{ prefecture: "北海道", city: "札幌市中央区", town: "" }] });
  });

  it("Japan Post's 'the number follows the village' is no town", () => {
    expect(lookupPostalCode("409-0211")).toEqual({ ok: true, postalCode: "4090211", candidates: [{ prefecture: "山梨県", city: "北都留郡小菅村", town: "" }] });
  });

  it("a code shared by many towns lists each once", () => {
    const result = lookupPostalCode("452-0961");
    if (!result.ok) throw new Error(result.message);
    expect(result.candidates.length).toBeGreaterThan(20);
    expect(new Set(result.candidates.map((c) => `${c.prefecture}${c.city}`))).toEqual(new Set(["愛知県清須市"]));
    expect(result.candidates).toContainEqual({ prefecture: "愛知県", city: "清須市", town: "春日明河原" });
    expect(new Set(result.candidates.map((c) => c.town)).size).toBe(result.candidates.length);
  });

  it("a code across two prefectures", () => {
    expect(lookupPostalCode("498-0000")).toEqual({
      ok: true,
      postalCode: "4980000",
      candidates: [
        { prefecture: "愛知県", city: "弥富市", town: "" },
        { prefecture: "三重県", city: "桑名郡木曽岬町", town: "" },
      ],
    });
  });

  it("a row naming several towns (井道、奥井道、内井道) is one candidate per town", () => {
    const result = lookupPostalCode("441-1324");
    expect(result.ok && result.candidates.map((c) => c.town)).toEqual(["井道", "奥井道", "内井道"]);
  });

  it("an unknown code has no candidates", () => {
    expect(lookupPostalCode("999-9999")).toEqual({ ok: true, postalCode: "9999999", candidates: [] });
    expect(lookupPostalCode("0000000")).toEqual({ ok: true, postalCode: "0000000", candidates: [] });
  });

  it("malformed input is refused, not looked up", () => {
    for (const input of ["", "100-000", "100-00011", "abc-defg"]) expect(lookupPostalCode(input)).toEqual({ ok: false, message: "A postal code is 7 digits, such as 100-0001" });
  });
});
