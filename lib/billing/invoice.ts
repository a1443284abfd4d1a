import type { LocalDate } from "./calendar";
import type { FirstPaidPeriod } from "./first-period";
import { INTERVAL_LABELS_JA, type PlanTerms } from "./plan";

export const INVOICE_KINDS = ["first", "renewal", "additional", "resume", "plan_change", "final"] as const;
/** What an invoice bills: a first period, a renewal, an extra charge, a restart, a plan change, a contract's last usage. */
export type InvoiceKind = (typeof INVOICE_KINDS)[number];

export const INVOICE_LINE_KINDS = [
  "period",
  "joining_fee",
  "proration",
  "usage",
  "additional",
  /** The unused days of the old plan, taken off a plan change (negative). */
  "proration_credit",
  /** Credit the customer had, taken off this invoice (negative). */
  "credit_applied",
  /** What a plan change leaves to the customer's credit instead of a negative total (positive). */
  "credit_carried",
] as const;
export type InvoiceLineKind = (typeof INVOICE_LINE_KINDS)[number];

export type InvoiceLineDraft = {
  kind: InvoiceLineKind;
  description: string;
  amount: number;
  quantity: number;
  periodStart?: LocalDate;
  periodEnd?: LocalDate;
};

/** An invoice the rules decided on, before it is written: issuing the same billing key twice issues it once. */
export type InvoiceDraft = {
  kind: InvoiceKind;
  billingKey: string;
  /** The plan it bills (a plan change's new plan); null for charges that bill no plan. */
  planId: string | null;
  lines: InvoiceLineDraft[];
  periodStart: Date | null;
  periodEnd: Date | null;
  description?: string | null;
  extendPaidThrough?: boolean;
  sendMail?: boolean;
  /** Credit taken off this invoice; it goes back to the contract if the invoice is never paid. */
  creditApplied: number;
};

export type UsageTotal = { metric: string; quantity: number };

/** The period lines of a period's invoice (maybe prorated, none when free), its usage and a joining fee still owed. */
export function periodInvoiceLines(
  plan: PlanTerms,
  planName: string,
  period: FirstPaidPeriod,
  options: { usage?: readonly UsageTotal[]; includeJoiningFee: boolean },
): InvoiceLineDraft[] {
  const lines: InvoiceLineDraft[] = [];
  if (period.kind === "prorated") {
    lines.push({
      kind: "proration",
      description: `${planName} 日割 (${period.proration?.days}/${period.proration?.cycleDays}日)`,
      amount: period.periodAmount,
      quantity: 1,
      periodStart: period.periodStart,
      periodEnd: period.periodEnd,
    });
  } else if (period.kind !== "free_until_billing_day") {
    lines.push(periodLine(plan, planName, period.periodStart, period.periodEnd));
  }
  lines.push(...usageLines(plan, options.usage ?? []));
  if (options.includeJoiningFee && plan.joiningFee > 0) lines.push({ kind: "joining_fee", description: "入会金", amount: plan.joiningFee, quantity: 1 });
  return lines;
}

/** Usage of the metrics the plan prices, one line per metric; quantities of zero and unpriced metrics bill nothing. */
export function usageLines(plan: Pick<PlanTerms, "usageRates">, usage: readonly UsageTotal[]): InvoiceLineDraft[] {
  const lines: InvoiceLineDraft[] = [];
  for (const { metric, quantity } of usage) {
    const rate = plan.usageRates.find((r) => r.metric === metric);
    if (!rate || quantity === 0) continue;
    lines.push({ kind: "usage", description: `${metric} × ${quantity}`, amount: rate.unitAmount * quantity, quantity });
  }
  return lines;
}

function periodLine(plan: PlanTerms, planName: string, periodStart: LocalDate, periodEnd: LocalDate): InvoiceLineDraft {
  return {
    kind: "period",
    description: `${planName} (${INTERVAL_LABELS_JA[plan.interval]}) ${periodStart.toString()}〜${periodEnd.toString()}`,
    amount: plan.amount,
    quantity: 1,
    periodStart,
    periodEnd,
  };
}

export function linesTotal(lines: readonly Pick<InvoiceLineDraft, "amount">[]): number {
  return lines.reduce((sum, line) => sum + line.amount, 0);
}

/**
 * Settles lines against the customer's credit: credit is taken off up to what the lines come to, and a negative sum
 * (a downgrade's credit larger than its charge) becomes a zero invoice whose remainder is carried to the credit.
 * Amounts are the lines' own (before tax when the plan's prices exclude it), so credit keeps its meaning.
 */
export function withCredit(lines: readonly InvoiceLineDraft[], creditBalance: number): { lines: InvoiceLineDraft[]; creditApplied: number; creditCarried: number } {
  const sum = linesTotal(lines);
  if (sum < 0) {
    return { lines: [...lines, { kind: "credit_carried", description: "次回以降のご請求に充当", amount: -sum, quantity: 1 }], creditApplied: 0, creditCarried: -sum };
  }
  const creditApplied = Math.min(Math.max(0, creditBalance), sum);
  if (creditApplied === 0) return { lines: [...lines], creditApplied: 0, creditCarried: 0 };
  return { lines: [...lines, { kind: "credit_applied", description: "クレジット充当", amount: -creditApplied, quantity: 1 }], creditApplied, creditCarried: 0 };
}
