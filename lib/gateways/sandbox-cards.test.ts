import { describe, expect, it } from "vitest";
import { behaviorOf, cardBrand, luhnValid, SANDBOX_TEST_CARDS, SandboxCardError, validateSandboxCard, type SandboxCardInput } from "./sandbox-cards";

const now = new Date("2026-05-15T12:00:00Z");
const good: SandboxCardInput = { number: "4242 4242 4242 4242", expMonth: 12, expYear: 2030, cvc: "123" };

function errorOf(input: Partial<SandboxCardInput>, at: Date = now): SandboxCardError {
  try {
    validateSandboxCard({ ...good, ...input } as SandboxCardInput, at);
  } catch (error) {
    if (error instanceof SandboxCardError) return error;
    throw error;
  }
  throw new Error("expected a SandboxCardError");
}

describe("luhnValid", () => {
  it.each([
    ["4242424242424242", true],
    ["4000000000000341", true],
    ["4000000000009995", true],
    ["4000000000000002", true],
    ["378282246310005", true],
    ["4242424242424241", false],
    ["1234567890123", false],
    ["", false],
    ["42a2", false],
  ])("%s → %s", (number, valid) => {
    expect(luhnValid(number)).toBe(valid);
  });
});

describe("cardBrand", () => {
  it.each([
    ["4242424242424242", "visa"],
    ["5105105105105100", "mastercard"],
    ["5555555555554444", "mastercard"],
    ["2221000000000009", "mastercard"],
    ["2720990000000007", "mastercard"],
    ["2220990000000000", "unknown"],
    ["2721000000000000", "unknown"],
    ["5605105105105100", "unknown"],
    ["378282246310005", "amex"],
    ["341111111111111", "amex"],
    ["3566002020360505", "jcb"],
    ["6011111111111117", "unknown"],
    ["36227206271667", "unknown"],
  ])("%s → %s", (number, brand) => {
    expect(cardBrand(number)).toBe(brand);
  });
});

describe("behaviorOf", () => {
  it("maps each test card, and any other number behaves like 4242", () => {
    expect(behaviorOf(SANDBOX_TEST_CARDS.succeed)).toBe("succeed");
    expect(behaviorOf(SANDBOX_TEST_CARDS.decline)).toBe("decline");
    expect(behaviorOf(SANDBOX_TEST_CARDS.insufficientFunds)).toBe("insufficient_funds");
    expect(behaviorOf(SANDBOX_TEST_CARDS.declineOnAttach)).toBe("decline_on_attach");
    expect(behaviorOf("5555555555554444")).toBe("succeed");
  });
});

describe("validateSandboxCard", () => {
  it("strips spaces and derives brand, last 4 and behaviour", () => {
    expect(validateSandboxCard(good, now)).toEqual({
      number: "4242424242424242",
      brand: "visa",
      last4: "4242",
      expMonth: 12,
      expYear: 2030,
      behavior: "succeed",
    });
  });

  it("accepts numeric strings for the expiry and a 4-digit cvc", () => {
    const card = validateSandboxCard({ number: "3782 822463 10005", expMonth: "07", expYear: "2031", cvc: "1234" }, now);
    expect(card).toMatchObject({ brand: "amex", last4: "0005", expMonth: 7, expYear: 2031 });
  });

  it("accepts 12 and 19 digit numbers", () => {
    expect(validateSandboxCard({ ...good, number: "424242424242" }, now).number).toHaveLength(12);
    expect(validateSandboxCard({ ...good, number: "4242424242424242428" }, now).number).toHaveLength(19);
  });

  it("is good through the end of its expiry month (UTC)", () => {
    expect(validateSandboxCard({ ...good, expMonth: 5, expYear: 2026 }, now).expMonth).toBe(5);
    expect(validateSandboxCard({ ...good, expMonth: 5, expYear: 2026 }, new Date("2026-05-31T23:59:59.999Z")).expYear).toBe(2026);
    expect(errorOf({ expMonth: 5, expYear: 2026 }, new Date("2026-06-01T00:00:00Z")).message).toMatch(/expired/);
    expect(errorOf({ expMonth: 4, expYear: 2026 }).param).toBe("expYear");
    expect(errorOf({ expMonth: 12, expYear: 2025 }).param).toBe("expYear");
  });

  it.each<[string, Partial<SandboxCardInput>, SandboxCardError["param"], RegExp]>([
    ["letters", { number: "4242-4242-4242-4242" }, "number", /only digits/],
    ["letters", { number: "4242 4242 abcd 4242" }, "number", /only digits/],
    ["empty", { number: "" }, "number", /only digits/],
    ["not a string", { number: 4242424242424242 as unknown as string }, "number", /required/],
    ["11 digits", { number: "42424242428" }, "number", /12 to 19/],
    ["20 digits", { number: "42424242424242424242" }, "number", /12 to 19/],
    ["bad check digit", { number: "4242424242424241" }, "number", /not valid/],
    ["month 0", { expMonth: 0 }, "expMonth", /1 to 12/],
    ["month 13", { expMonth: 13 }, "expMonth", /1 to 12/],
    ["month 1.5", { expMonth: 1.5 }, "expMonth", /1 to 12/],
    ["month text", { expMonth: "ab" }, "expMonth", /1 to 12/],
    ["year 2 digits", { expYear: 30 }, "expYear", /four digits/],
    ["year 5 digits", { expYear: "20300" }, "expYear", /four digits/],
    ["cvc 2 digits", { cvc: "12" }, "cvc", /3 or 4/],
    ["cvc 5 digits", { cvc: "12345" }, "cvc", /3 or 4/],
    ["cvc letters", { cvc: "12a" }, "cvc", /3 or 4/],
  ])("rejects %s", (_, input, param, message) => {
    const error = errorOf(input);
    expect(error.name).toBe("SandboxCardError");
    expect(error.param).toBe(param);
    expect(error.message).toMatch(message);
  });

  it("refuses an invalid clock", () => {
    expect(() => validateSandboxCard(good, new Date(Number.NaN))).toThrow(TypeError);
  });
});
