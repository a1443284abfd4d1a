import type { LocalDate } from "./calendar";
import type { FirstPaidPeriod } from "./first-period";
import { INTERVAL_LABELS_JA, type PlanTerms } from "./plan";

export const INVOICE_LINE_KINDS = ["period", "joining_fee", "proration", "usage", "additional"] as const;
export type InvoiceLineKind = (typeof INVOICE_LINE_KINDS)[number];

export type InvoiceLineDraft = {
  kind: InvoiceLineKind;
  description: string;
  amount: number;
  quantity: number;
  periodStart?: LocalDate;
  periodEnd?: LocalDate;
};

export type UsageTotal = { metric: string; quantity: number };

/** Lines of the first payment: the first paid period (maybe prorated) and the joining fee, in one charge. */
export function firstInvoiceLines(plan: PlanTerms, planName: string, period: FirstPaidPeriod, includeJoiningFee: boolean): InvoiceLineDraft[] {
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
  if (includeJoiningFee && plan.joiningFee > 0) lines.push(joiningFeeLine(plan));
  return lines;
}

/** Lines of a renewal: the coming period, usage recorded since the last invoice, and a joining fee still owed. */
export function renewalInvoiceLines(
  plan: PlanTerms,
  planName: string,
  periodStart: LocalDate,
  periodEnd: LocalDate,
  usage: readonly UsageTotal[],
  includeJoiningFee: boolean,
): InvoiceLineDraft[] {
  const lines = [periodLine(plan, planName, periodStart, periodEnd)];
  for (const { metric, quantity } of usage) {
    const rate = plan.usageRates.find((r) => r.metric === metric);
    if (!rate || quantity === 0) continue;
    lines.push({ kind: "usage", description: `${metric} × ${quantity}`, amount: rate.unitAmount * quantity, quantity });
  }
  if (includeJoiningFee && plan.joiningFee > 0) lines.push(joiningFeeLine(plan));
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

function joiningFeeLine(plan: PlanTerms): InvoiceLineDraft {
  return { kind: "joining_fee", description: "入会金", amount: plan.joiningFee, quantity: 1 };
}
