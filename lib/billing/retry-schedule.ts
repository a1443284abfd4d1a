import { addLocalDays } from "./calendar";
import type { RetrySchedule } from "./billing-settings";

/** When each retry of a failed invoice runs, counted from its first failure in merchant-local days. */
export function retryTimes(firstFailureAt: Date, schedule: RetrySchedule, timeZone: string): Date[] {
  return schedule.map((days) => addLocalDays(firstFailureAt, days, timeZone));
}

/** The schedule a plan uses: its own override, else the merchant's. */
export function effectiveRetrySchedule(planOverride: RetrySchedule | null, merchantSchedule: RetrySchedule): RetrySchedule {
  return planOverride ?? merchantSchedule;
}
