import { compareDates, type LocalDate, parseLocalDate } from "./calendar";
import type { PlanTerms } from "./plan";

/** The local date a trial ends on (the first paid period starts then), or null for no trial. */
export function trialEndDate(plan: Pick<PlanTerms, "trialDays" | "trialUntil">, signupDate: LocalDate): LocalDate | null {
  if (plan.trialDays && plan.trialDays > 0) return signupDate.add({ days: plan.trialDays });
  if (plan.trialUntil) {
    const until = parseLocalDate(plan.trialUntil);
    return compareDates(until, signupDate) > 0 ? until : null;
  }
  return null;
}

/** When the "trial ending" reminder goes out, if the plan asks for one and it is still in the future. */
export function trialReminderDate(plan: Pick<PlanTerms, "trialReminderDays">, signupDate: LocalDate, trialEnd: LocalDate): LocalDate | null {
  if (!plan.trialReminderDays || plan.trialReminderDays <= 0) return null;
  const reminder = trialEnd.subtract({ days: plan.trialReminderDays });
  return compareDates(reminder, signupDate) > 0 ? reminder : null;
}
