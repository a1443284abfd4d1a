import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertMinorUnits, currencyExponent, formatMoney, isKnownCurrency, MoneyError, parseMoneyInput, sumAmounts } from "./money";

describe("assertMinorUnits", () => {
  it.each([0, 1, -1, 3100, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER])("accepts %d", (amount) => {
    expect(assertMinorUnits(amount)).toBe(amount);
  });

  it.each([0.5, 3100.01, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53, -(2 ** 53)])("rejects %d", (amount) => {
    expect(() => assertMinorUnits(amount)).toThrow(MoneyError);
  });

  it("names the field in its message", () => {
    expect(() => assertMinorUnits(1.5, "joining_fee")).toThrow("joining_fee must be an integer number of minor units, got 1.5");
  });
});

describe("currencyExponent", () => {
  it.each([
    ["JPY", 0],
    ["jpy", 0],
    ["KRW", 0],
    ["USD", 2],
    ["EUR", 2],
    ["KWD", 3],
  ])("%s has %i decimals", (currency, exponent) => {
    expect(currencyExponent(currency)).toBe(exponent);
  });
});

describe("isKnownCurrency", () => {
  it.each(["JPY", "jpy", "USD", "EUR"])("knows %s", (currency) => expect(isKnownCurrency(currency)).toBe(true));
  it.each(["", "JP", "JPYY", "XXQ", "12$", "¥"])("does not know %j", (currency) => expect(isKnownCurrency(currency)).toBe(false));
});

describe("formatMoney", () => {
  it.each<[number, string, string, string]>([
    [3100, "JPY", "ja-JP", "¥3,100"],
    [0, "JPY", "ja-JP", "¥0"],
    [1_234_567, "jpy", "ja-JP", "¥1,234,567"],
    [3100, "JPY", "en-US", "¥3,100"],
    [1250, "USD", "en-US", "$12.50"],
    [5, "USD", "en-US", "$0.05"],
  ])("%i %s in %s is %s", (amount, currency, locale, expected) => {
    expect(formatMoney({ amount, currency }, locale)).toBe(expected);
  });

  it("defaults to Japanese", () => {
    expect(formatMoney({ amount: 3100, currency: "JPY" })).toBe("¥3,100");
  });
});

describe("sumAmounts", () => {
  it.each<[number[], number]>([
    [[], 0],
    [[3100], 3100],
    [[1500, 5000], 6500],
    [[3100, -100], 3000],
  ])("%j sums to %i", (amounts, total) => {
    expect(sumAmounts(amounts)).toBe(total);
  });

  it.each<[string, number[]]>([
    ["a fraction", [100, 0.5]],
    ["NaN", [Number.NaN]],
    ["an overflow", [Number.MAX_SAFE_INTEGER, 1]],
  ])("rejects %s", (_, amounts) => {
    expect(() => sumAmounts(amounts)).toThrow(MoneyError);
  });

  it("is the exact integer sum", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e12, max: 1e12 })), (amounts) => {
        expect(sumAmounts(amounts)).toBe(Number(amounts.reduce((total, a) => total + BigInt(a), 0n)));
      }),
    );
  });
});

describe("parseMoneyInput", () => {
  it.each([
    ["1500", "jpy", 1500],
    ["1,500", "jpy", 1500],
    ["¥1,500", "jpy", 1500],
    ["１，５００", "jpy", 1500],
    [" 3000 ", "jpy", 3000],
    ["0", "jpy", 0],
    ["12.5", "usd", 1250],
    ["12.05", "usd", 1205],
    ["12", "usd", 1200],
  ])("reads %j in %s as %d", (text, currency, amount) => expect(parseMoneyInput(text, currency)).toBe(amount));

  it.each([
    ["", "jpy"],
    ["abc", "jpy"],
    ["-100", "jpy"],
    ["1.5", "jpy"],
    ["12.345", "usd"],
    ["1e3", "jpy"],
    ["99999999999999999999", "jpy"],
  ])("refuses %j in %s", (text, currency) => expect(parseMoneyInput(text, currency)).toBeNull());
});
