import { PREFECTURES } from "@/lib/address/prefectures";
import type { ScreeningRules } from "./settings";

/** 与信: OK ships, NG does not, 保留 waits for staff. */
export type ScreeningResult = "ok" | "ng" | "review";

/** Why, rule by rule: each names its rule and what it found, for the merchant to read. */
export type ScreeningReason =
  | { rule: "amount_limit"; amount: number; limit: number }
  | { rule: "buyer_outstanding"; outstanding: number; amount: number; limit: number }
  | { rule: "repeat_defaulter"; defaults: number; limit: number }
  | { rule: "previous_default"; defaults: number }
  | { rule: "postal_code_unknown"; postalCode: string }
  | { rule: "postal_prefecture_mismatch"; postalCode: string; prefecture: string; postalPrefectures: string[] }
  | { rule: "address_incomplete"; missing: "prefecture" | "number" }
  | { rule: "duplicate_order"; duplicates: number }
  | { rule: "review_amount"; amount: number; threshold: number };

/** What the service found about the order and its buyer (buyer-identity.ts) before the rules are applied. */
export type ScreeningFacts = {
  amount: number;
  /** What the same buyer owes on their other orders: approved but unpaid (shipped or not), not canceled. */
  buyerOutstanding: number;
  /** The same buyer's earlier orders handed to collection (要回収). */
  buyerDefaults: number;
  postalCode: string;
  /** The prefectures Japan Post files the postal code under; empty when the code is unknown. */
  postalPrefectures: readonly string[];
  /** The billing address as typed. */
  address: string;
  /** The same buyer's orders for the same amount in the last 24 hours that are not canceled. */
  duplicates: number;
};

export type Screening = { result: ScreeningResult; reasons: ScreeningReason[] };

const NG_RULES: ReadonlySet<ScreeningReason["rule"]> = new Set(["amount_limit", "buyer_outstanding", "repeat_defaulter"]);

/** The prefecture an address starts with, if it names one. */
export function prefectureOf(address: string): string | null {
  const text = address.normalize("NFKC").trim();
  return PREFECTURES.find((p) => text.startsWith(p)) ?? null;
}

/**
 * Screens one order: NG when the order is above the per-order limit, when the buyer would owe more than the limit
 * with it, or when they defaulted too often; 保留 (staff decide) for what may be a typo or needs a look — an unknown
 * postal code, a prefecture the postal code does not belong to, an address with no prefecture or no house number, the
 * same order twice, an earlier default, a large amount; OK otherwise. Every reason found is kept, NG or not.
 */
export function screenOrder(facts: ScreeningFacts, rules: ScreeningRules): Screening {
  const reasons: ScreeningReason[] = [];
  if (facts.amount > rules.orderAmountLimit) reasons.push({ rule: "amount_limit", amount: facts.amount, limit: rules.orderAmountLimit });
  if (facts.buyerOutstanding + facts.amount > rules.buyerOutstandingLimit) {
    reasons.push({ rule: "buyer_outstanding", outstanding: facts.buyerOutstanding, amount: facts.amount, limit: rules.buyerOutstandingLimit });
  }
  if (facts.buyerDefaults >= rules.defaultsForRejection) reasons.push({ rule: "repeat_defaulter", defaults: facts.buyerDefaults, limit: rules.defaultsForRejection });
  else if (facts.buyerDefaults > 0) reasons.push({ rule: "previous_default", defaults: facts.buyerDefaults });
  const prefecture = prefectureOf(facts.address);
  if (facts.postalPrefectures.length === 0) reasons.push({ rule: "postal_code_unknown", postalCode: facts.postalCode });
  else if (prefecture && !facts.postalPrefectures.includes(prefecture)) {
    reasons.push({ rule: "postal_prefecture_mismatch", postalCode: facts.postalCode, prefecture, postalPrefectures: [...facts.postalPrefectures] });
  }
  if (!prefecture) reasons.push({ rule: "address_incomplete", missing: "prefecture" });
  else if (!/\d/.test(facts.address.normalize("NFKC")) && !/[一二三四五六七八九十]+(丁目|番)/.test(facts.address)) reasons.push({ rule: "address_incomplete", missing: "number" });
  if (facts.duplicates > 0) reasons.push({ rule: "duplicate_order", duplicates: facts.duplicates });
  if (rules.reviewAbove !== null && facts.amount >= rules.reviewAbove && facts.amount <= rules.orderAmountLimit) {
    reasons.push({ rule: "review_amount", amount: facts.amount, threshold: rules.reviewAbove });
  }
  const result: ScreeningResult = reasons.some((r) => NG_RULES.has(r.rule)) ? "ng" : reasons.length > 0 ? "review" : "ok";
  return { result, reasons };
}
