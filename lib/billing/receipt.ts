import { assertMinorUnits, sumAmounts } from "./money";
import type { TaxBehavior } from "./plan";
import { invoiceTotals, type InvoiceTotals } from "./tax";

/** The reduced consumption-tax rate (軽減税率): its lines are marked on a receipt. */
export const REDUCED_TAX_RATE = 8;

export type ReceiptLineInput = { description: string; amount: number; quantity: number; taxRate: number };

export type ReceiptInput = {
  currency: string;
  taxBehavior: TaxBehavior;
  lines: readonly ReceiptLineInput[];
  /** What the invoice says it came to; the receipt must add up to exactly this. */
  totals: InvoiceTotals;
  /** Money given back on it (succeeded refunds only), oldest first. */
  refunds: readonly { amount: number; at: Date }[];
};

export type ReceiptLine = ReceiptLineInput & { reduced: boolean };

/**
 * One rate's part of the receipt, as a 適格請求書 states it: the amount at that rate (税込 for tax-inclusive prices,
 * 税抜 for exclusive ones, as the lines are written) and the consumption tax on it, rounded down once per rate.
 */
export type ReceiptTax = { rate: number; reduced: boolean; taxable: number; net: number; gross: number; tax: number };

export type Receipt = {
  currency: string;
  taxBehavior: TaxBehavior;
  lines: ReceiptLine[];
  /** Highest rate first (10 % before 8 %). */
  taxes: ReceiptTax[];
  subtotal: number;
  tax: number;
  total: number;
  refunds: { amount: number; at: Date }[];
  refunded: number;
  /** What the customer paid in the end: the total less refunds. */
  net: number;
};

export class ReceiptMismatchError extends Error {}

/**
 * The receipt of a paid invoice: its lines, the tax per rate computed as the invoice's was (lib/billing/tax.ts: once
 * per rate, rounded down), and refunds. Refuses to produce a receipt that does not add up to the invoice's stored
 * totals: a 領収書 stating other amounts than were charged would be worse than none.
 */
export function buildReceipt(input: ReceiptInput): Receipt {
  const byRate = new Map<number, number>();
  for (const line of input.lines) byRate.set(line.taxRate, assertMinorUnits((byRate.get(line.taxRate) ?? 0) + assertMinorUnits(line.amount), "line"));
  const taxes = [...byRate]
    .sort(([a], [b]) => b - a)
    .map(([rate, amount]): ReceiptTax => {
      const { subtotal, tax, total } = invoiceTotals([{ amount, taxRate: rate }], input.taxBehavior);
      return { rate, reduced: rate === REDUCED_TAX_RATE, taxable: amount, net: subtotal, gross: total, tax };
    });
  const totals = { subtotal: sumAmounts(taxes.map((t) => t.net)), tax: sumAmounts(taxes.map((t) => t.tax)), total: sumAmounts(taxes.map((t) => t.gross)) };
  if (totals.subtotal !== input.totals.subtotal || totals.tax !== input.totals.tax || totals.total !== input.totals.total) {
    throw new ReceiptMismatchError(
      `The lines come to ${totals.subtotal} + ${totals.tax} = ${totals.total} (${input.taxBehavior}), the invoice to ${input.totals.subtotal} + ${input.totals.tax} = ${input.totals.total}`,
    );
  }
  const refunded = sumAmounts(input.refunds.map((r) => r.amount));
  if (refunded > totals.total) throw new ReceiptMismatchError(`Refunds of ${refunded} exceed the total of ${totals.total}`);
  return {
    currency: input.currency,
    taxBehavior: input.taxBehavior,
    lines: input.lines.map((line) => ({ ...line, reduced: line.taxRate === REDUCED_TAX_RATE })),
    taxes,
    ...totals,
    refunds: input.refunds.map((r) => ({ ...r })),
    refunded,
    net: totals.total - refunded,
  };
}
