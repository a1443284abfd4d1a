/**
 * Declines that another try cannot cure: the card is gone (lost, stolen, expired, closed) or there is none. They skip
 * the remaining automatic retries and ask the customer for a new card at once. A decline for authentication (the
 * issuer wants the customer present for 3-D Secure) is a kind of its own: the card is fine, but no retry without the
 * customer can succeed, so the customer is sent a link to authenticate that very charge. Every other decline
 * (insufficient funds, a generic decline, a processing error) is soft and follows the retry schedule.
 */
const HARD_DECLINES: ReadonlySet<string> = new Set([
  "expired_card",
  "lost_card",
  "stolen_card",
  "pickup_card",
  "restricted_card",
  "account_closed",
  "invalid_account",
  "card_not_supported",
  "card_not_found",
  "no_payment_method",
]);

/** The issuer's answer to an off-session charge it will take only once the customer authenticates it. */
export const AUTHENTICATION_REQUIRED = "authentication_required";

export type DeclineKind = "hard" | "soft" | "authentication";

export function declineKind(failureCode: string | null | undefined): DeclineKind {
  if (failureCode === AUTHENTICATION_REQUIRED) return "authentication";
  return failureCode && HARD_DECLINES.has(failureCode) ? "hard" : "soft";
}
