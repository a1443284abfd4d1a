import { assertMinorUnits } from "./money";
import type { TaxBehavior } from "./plan";

export type TaxedLine = { amount: number; taxRate: number };
export type InvoiceTotals = { subtotal: number; tax: number; total: number };

/**
 * Japanese consumption tax, computed once per invoice per rate and rounded down (端数切り捨て).
 * Inclusive prices already contain the tax; exclusive prices have it added on top.
 */
export function invoiceTotals(lines: readonly TaxedLine[], behavior: TaxBehavior): InvoiceTotals {
  const byRate = new Map<number, number>();
  for (const line of lines) byRate.set(line.taxRate, assertMinorUnits((byRate.get(line.taxRate) ?? 0) + assertMinorUnits(line.amount), "subtotal"));
  let subtotal = 0;
  let tax = 0;
  for (const [rate, amount] of byRate) {
    const rateTax = behavior === "inclusive" ? mulDiv(amount, rate, 100 + rate) : mulDiv(amount, rate, 100);
    tax += rateTax;
    subtotal += behavior === "inclusive" ? amount - rateTax : amount;
  }
  return { subtotal, tax, total: assertMinorUnits(subtotal + tax, "total") };
}

/** ⌊amount × rate / denominator⌋ for non-negative amounts, exact: the product is taken in BigInt, not as a float. */
function mulDiv(amount: number, rate: number, denominator: number): number {
  return Number((BigInt(amount) * BigInt(rate)) / BigInt(denominator));
}
