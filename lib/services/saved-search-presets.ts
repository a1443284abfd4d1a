import type { SubscriptionSearch } from "./queries/subscription-search-schema";

/**
 * The searches every merchant is offered in the contracts workspace besides its own saved ones (constants, not rows:
 * they cannot be renamed or deleted). They mirror what the seed merchants search for:
 *
 * - seed 002 (PayPal/Stripe/Univapay dunning tasks): contracts unpaid with the paid-through date (有効期限) passed by 1,
 *   60 and 67 days or more, the days of the unpaid notice, the final notice and the withdrawal;
 * - seed 004 (congrant's manual retry): contracts in payment error that a manual retry can still collect (an overdue
 *   invoice: past due or unpaid; a withdrawn or canceled contract's debt is written off), and those in error for a
 *   year or more, the ones it suggests canceling in bulk (a year since the paid-through date, which is about when
 *   the error began: the automatic retries take two to three weeks);
 * - cards that expire this month on contracts still billed (the card-expiry notice's audience).
 *
 * Each one's `key` names its label in messages/{ja,en}/subscriptions.json (presets.<key>): 未払い・有効期限から1日以上,
 * …60日以上, …67日以上, 決済エラー（手動リトライ可）, 決済エラーが1年以上, 今月カード期限切れ.
 */
export type SavedSearchPreset = { key: string; search: Partial<SubscriptionSearch> };

export const SAVED_SEARCH_PRESETS: readonly SavedSearchPreset[] = [
  { key: "unpaid1", search: { daysUnpaidMin: 1, sort: "days_unpaid", desc: true } },
  { key: "unpaid60", search: { daysUnpaidMin: 60, sort: "days_unpaid", desc: true } },
  { key: "unpaid67", search: { daysUnpaidMin: 67, sort: "days_unpaid", desc: true } },
  { key: "retryable", search: { status: ["past_due", "unpaid"], sort: "days_unpaid", desc: true } },
  { key: "errorOverAYear", search: { status: ["unpaid"], daysUnpaidMin: 365, sort: "days_unpaid", desc: true } },
  { key: "cardExpiringThisMonth", search: { card: "expiring", status: ["trialing", "active", "past_due", "unpaid", "paused"], sort: "created_at", desc: true } },
];
