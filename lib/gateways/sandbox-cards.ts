import type { SandboxBehavior } from "@/db/schema/sandbox";

/**
 * The sandbox processor's card rules: what its card form accepts, which brand a number is, and how each test
 * number behaves. Pure; the gateway (sandbox.ts) keeps the books.
 */

/** A card number as typed into the card form, before tokenization. */
export type SandboxCardInput = {
  /** Digits, spaces allowed ("4242 4242 4242 4242"). */
  number: string;
  /** 1–12. */
  expMonth: number | string;
  /** Four digits. */
  expYear: number | string;
  /** 3 or 4 digits. */
  cvc: string;
};

/** What a card does at the sandbox: a charge behaviour, or refused when it is attached. */
export type SandboxCardBehavior = SandboxBehavior | "decline_on_attach";

export const SANDBOX_TEST_CARDS = {
  /** Always succeeds (so does any other valid number). */
  succeed: "4242424242424242",
  /** Attaches; every charge is declined (`card_declined`). */
  decline: "4000000000000341",
  /** Attaches; every charge fails with `insufficient_funds`. */
  insufficientFunds: "4000000000009995",
  /** Refused when attached (CardAttachError `card_declined`). */
  declineOnAttach: "4000000000000002",
  /** Attaches; every charge is hard-declined as `expired_card`. */
  expiredCard: "4000000000000069",
  /** Attaches; every charge is hard-declined as `lost_card`. */
  lostCard: "4000000000009987",
  /** Asks for 3-D Secure when it is saved (the sandbox's challenge page); charges succeed once it is saved. */
  authenticationRequired: "4000002500003155",
  /**
   * Saves without a challenge; every off-session charge is refused as `authentication_required` until the customer
   * passes the challenge page for that charge (the sandbox's answer to Stripe's "always authenticate" card).
   */
  authenticationOnCharge: "4000002760003184",
} as const;

/**
 * The test cards that save without a step of the customer's and then succeed or fail when charged: what a test
 * customer made in the console can be given (a declining card is how dunning is tried). A card refused on saving or
 * asking for 3-D Secure would leave the customer without one.
 */
export const SAVABLE_TEST_CARDS = ["succeed", "decline", "insufficientFunds", "expiredCard", "lostCard", "authenticationOnCharge"] as const satisfies readonly (keyof typeof SANDBOX_TEST_CARDS)[];
export type SavableTestCard = (typeof SAVABLE_TEST_CARDS)[number];

/** Whether the issuer asks the customer to authenticate (3-D Secure) before the card is saved. */
export function requiresAuthentication(digits: string): boolean {
  return digits === SANDBOX_TEST_CARDS.authenticationRequired;
}

export type ValidatedCard = {
  number: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  behavior: SandboxCardBehavior;
};

/** Bad card form input; `param` names the field (number, expMonth, expYear, cvc). */
export class SandboxCardError extends Error {
  constructor(
    readonly param: "number" | "expMonth" | "expYear" | "cvc",
    message: string,
  ) {
    super(message);
    this.name = "SandboxCardError";
  }
}

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The card brand from the number's leading digits. */
export function cardBrand(digits: string): "visa" | "mastercard" | "amex" | "jcb" | "unknown" {
  if (digits.startsWith("4")) return "visa";
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  if ((two >= 51 && two <= 55) || (digits.length >= 4 && four >= 2221 && four <= 2720)) return "mastercard";
  if (two === 34 || two === 37) return "amex";
  if (two === 35) return "jcb";
  return "unknown";
}

export function behaviorOf(digits: string): SandboxCardBehavior {
  switch (digits) {
    case SANDBOX_TEST_CARDS.decline:
      return "decline";
    case SANDBOX_TEST_CARDS.insufficientFunds:
      return "insufficient_funds";
    case SANDBOX_TEST_CARDS.declineOnAttach:
      return "decline_on_attach";
    case SANDBOX_TEST_CARDS.expiredCard:
      return "expired_card";
    case SANDBOX_TEST_CARDS.lostCard:
      return "lost_card";
    case SANDBOX_TEST_CARDS.authenticationOnCharge:
      return "authentication_required";
    default:
      return "succeed";
  }
}

function integerField(value: unknown, pattern: RegExp): number | null {
  if (typeof value === "number") return Number.isInteger(value) && pattern.test(String(value)) ? value : null;
  if (typeof value === "string" && pattern.test(value.trim())) return Number(value.trim());
  return null;
}

/**
 * Checks card form input as the gateway's form would. A card is good through the last day of its expiry month,
 * counted in UTC. Throws SandboxCardError naming the first bad field.
 */
export function validateSandboxCard(input: SandboxCardInput, now: Date): ValidatedCard {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new TypeError("validateSandboxCard: now must be a valid Date");

  if (typeof input.number !== "string") throw new SandboxCardError("number", "Card number is required.");
  const number = input.number.replace(/\s+/g, "");
  if (!/^\d+$/.test(number)) throw new SandboxCardError("number", "Card number may contain only digits and spaces.");
  if (number.length < 12 || number.length > 19) throw new SandboxCardError("number", "Card number must have 12 to 19 digits.");
  if (!luhnValid(number)) throw new SandboxCardError("number", "Card number is not valid (check digit mismatch).");

  const expMonth = integerField(input.expMonth, /^\d{1,2}$/);
  if (expMonth === null || expMonth < 1 || expMonth > 12) throw new SandboxCardError("expMonth", "Expiry month must be a number from 1 to 12.");
  const expYear = integerField(input.expYear, /^\d{4}$/);
  if (expYear === null) throw new SandboxCardError("expYear", "Expiry year must have four digits.");
  const current = now.getUTCFullYear() * 12 + now.getUTCMonth();
  if (expYear * 12 + (expMonth - 1) < current) throw new SandboxCardError("expYear", "The card has expired.");

  if (typeof input.cvc !== "string" || !/^\d{3,4}$/.test(input.cvc.trim())) {
    throw new SandboxCardError("cvc", "Security code (CVC) must be 3 or 4 digits.");
  }

  return { number, brand: cardBrand(number), last4: number.slice(-4), expMonth, expYear, behavior: behaviorOf(number) };
}
