/**
 * Declines that another try cannot cure: the card is gone (lost, stolen, expired, closed) or there is none. They skip
 * the remaining automatic retries and ask the customer for a new card at once; every other decline (insufficient
 * funds, a generic decline, a processing error) is soft and follows the retry schedule.
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

export type DeclineKind = "hard" | "soft";

export function declineKind(failureCode: string | null | undefined): DeclineKind {
  return failureCode && HARD_DECLINES.has(failureCode) ? "hard" : "soft";
}
