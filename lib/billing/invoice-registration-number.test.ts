import { describe, expect, it } from "vitest";
import { corporateNumberCheckDigit, normaliseRegistrationNumber, registrationNumberProblem } from "./invoice-registration-number";

describe("corporateNumberCheckDigit", () => {
  // Published 法人番号: 国税庁 7000012050002, トヨタ自動車 1180301018771, ソニーグループ 5010401067252 (法人番号公表サイト).
  it.each([
    ["000012050002", 7],
    ["180301018771", 1],
    ["010401067252", 5],
  ])("of %s is %i", (base, digit) => expect(corporateNumberCheckDigit(base)).toBe(digit));

  it("is 9, never 0, when the weighted sum is a multiple of 9", () => {
    // 9×1 = 9 ≡ 0 (mod 9).
    expect(corporateNumberCheckDigit("000000000009")).toBe(9);
    expect(corporateNumberCheckDigit("000000000000")).toBe(9);
  });

  it("weighs every second digit from the lowest by 2", () => {
    // 1 in the tens place: 1×2 = 2 → 7; in the units place: 1×1 = 1 → 8.
    expect(corporateNumberCheckDigit("000000000010")).toBe(7);
    expect(corporateNumberCheckDigit("000000000001")).toBe(8);
  });

  it("refuses a base that is not 12 digits", () => {
    expect(() => corporateNumberCheckDigit("12345")).toThrow();
  });
});

describe("registrationNumberProblem", () => {
  it.each(["T7000012050002", "T1180301018771", "T5010401067252"])("accepts %s", (value) => expect(registrationNumberProblem(value)).toBeNull());

  it.each([
    ["T1234567890123", "check_digit"],
    ["T8000012050002", "check_digit"],
    ["T7000012050003", "check_digit"],
    ["7000012050002", "format"],
    ["T700001205000", "format"],
    ["T70000120500021", "format"],
    ["TX000012050002", "format"],
    ["", "format"],
  ] as const)("refuses %j (%s)", (value, problem) => expect(registrationNumberProblem(value)).toBe(problem));
});

describe("normaliseRegistrationNumber", () => {
  it("makes full-width digits and a lowercase or full-width t the stored form", () => {
    expect(normaliseRegistrationNumber("Ｔ７００００１２０５０００２")).toBe("T7000012050002");
    expect(normaliseRegistrationNumber("t7000012050002")).toBe("T7000012050002");
    expect(normaliseRegistrationNumber("ｔ7000012050002")).toBe("T7000012050002");
  });

  it("drops spaces and hyphens typed for readability", () => {
    expect(normaliseRegistrationNumber(" T 7-0000-1205-0002 ")).toBe("T7000012050002");
    expect(normaliseRegistrationNumber("T7000　0120　50002")).toBe("T7000012050002");
  });
});
