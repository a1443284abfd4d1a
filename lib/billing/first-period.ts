import { compareDates, daysBetween, type LocalDate } from "./calendar";
import { addCycles, billingDateOnOrAfter } from "./cycle";
import type { PlanTerms } from "./plan";

export type FirstPaidPeriod = {
  periodStart: LocalDate;
  /** The first paid-through date. */
  periodEnd: LocalDate;
  /** What the period itself costs (before joining fee and tax). */
  periodAmount: number;
  kind: "full_cycle" | "prorated" | "partial_charged_in_full" | "free_until_billing_day";
  /** For prorated periods: days charged over days of the cycle that contains the start. */
  proration?: { days: number; cycleDays: number };
};

/**
 * The first paid period of a contract that starts paying on `start` (the sign-up date, or the day its trial
 * ends). With a fixed billing day the period up to that day is prorated by day (rounded down), charged in
 * full, or free, as the plan says.
 */
export function firstPaidPeriod(plan: Pick<PlanTerms, "amount" | "interval" | "billingDay" | "firstPeriod">, anchor: number, start: LocalDate): FirstPaidPeriod {
  const firstBillingDate = plan.billingDay === null ? start : billingDateOnOrAfter(start, plan.interval, anchor);
  if (compareDates(firstBillingDate, start) === 0) {
    return { periodStart: start, periodEnd: addCycles(start, plan.interval, anchor, 1), periodAmount: plan.amount, kind: "full_cycle" };
  }
  switch (plan.firstPeriod) {
    case "full":
      return { periodStart: start, periodEnd: firstBillingDate, periodAmount: plan.amount, kind: "partial_charged_in_full" };
    case "free":
      return { periodStart: start, periodEnd: firstBillingDate, periodAmount: 0, kind: "free_until_billing_day" };
    case "prorate": {
      const cycleStart = addCycles(firstBillingDate, plan.interval, anchor, -1);
      const days = daysBetween(start, firstBillingDate);
      const cycleDays = daysBetween(cycleStart, firstBillingDate);
      return {
        periodStart: start,
        periodEnd: firstBillingDate,
        periodAmount: prorate(plan.amount, days, cycleDays),
        kind: "prorated",
        proration: { days, cycleDays },
      };
    }
  }
}

/** Daily proration (日割), rounded down so the customer is never charged more than the share. */
export function prorate(amount: number, days: number, cycleDays: number): number {
  if (cycleDays <= 0 || days < 0 || days > cycleDays) throw new RangeError(`cannot prorate ${days} of ${cycleDays} days`);
  // BigInt keeps the product exact for any amount that fits in minor units.
  return Number((BigInt(amount) * BigInt(days)) / BigInt(cycleDays));
}
