import { localDateOf, startOfLocalDay } from "./calendar";
import { fullCycleAlignedForward } from "./cycle";
import type { BillingInterval } from "./plan";

/**
 * A contract that pays an overdue invoice is paid through one full cycle from the payment date, moved forward
 * to its billing day when the plan has one; the periods missed while it was unpaid are not billed.
 */
export function recoveredPaidThrough(paidAt: Date, interval: BillingInterval, anchor: number, hasFixedBillingDay: boolean, timeZone: string): Date {
  const end = fullCycleAlignedForward(localDateOf(paidAt, timeZone), interval, anchor, hasFixedBillingDay);
  return startOfLocalDay(end, timeZone);
}
