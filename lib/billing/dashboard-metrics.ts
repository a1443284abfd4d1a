import { localDateOf, startOfLocalDay } from "./calendar";
import type { BillingInterval, TaxBehavior } from "./plan";
import type { SubscriptionStatus } from "./subscription-state";
import { invoiceTotals } from "./tax";

/**
 * The dashboard's figures, defined once here on plain data; lib/services/queries/dashboard.ts computes the same
 * figures in SQL and its test checks it against these definitions.
 *
 * A contract bears MRR from the moment it started paying (the end of its trial, else its sign-up, once it has paid
 * at least once) until it ended (canceled or withdrawn). Its MRR is its plan's price without tax, normalised to a
 * month: a weekly price × 52 / 12, a yearly one / 12. Sums are kept per year (exact integers) and divided by 12 once.
 *
 * The figures are by local day in the merchant's time zone (the database keeps them so, see db/schema/dashboard.ts):
 * the current month runs to the end of today, so today's MRR includes a trial that ends later today; upcoming
 * renewals are those not yet run that fall due before the end of the period's last day.
 */

export type MrrPlan = { amount: number; interval: BillingInterval; taxBehavior: TaxBehavior; taxRate: number };

export const PERIODS_PER_YEAR: Record<BillingInterval, number> = { week: 52, "2week": 26, month: 12, "3month": 4, "6month": 2, year: 1 };

/** The statuses the dashboard counts (the rest are shown in the contracts workspace). */
export const DASHBOARD_STATUSES = ["active", "trialing", "past_due", "unpaid"] as const satisfies readonly SubscriptionStatus[];
export type DashboardStatus = (typeof DASHBOARD_STATUSES)[number];

/** A plan's price without tax, × periods per year: what one contract on it bears in a year. */
export function annualNet(plan: MrrPlan): number {
  return invoiceTotals([{ amount: plan.amount, taxRate: plan.taxRate }], plan.taxBehavior).subtotal * PERIODS_PER_YEAR[plan.interval];
}

/** A sum of annual amounts as monthly revenue, rounded half up once at the end. */
export function monthlyOf(annual: number): number {
  return Math.round(annual / 12);
}

/** What a renewal of the plan will charge, tax included. */
export function chargeOf(plan: MrrPlan): number {
  return invoiceTotals([{ amount: plan.amount, taxRate: plan.taxRate }], plan.taxBehavior).total;
}

export type MonthWindow = { /** YYYY-MM */ month: string; start: Date; end: Date };

/** The calendar month holding `now` and the `count - 1` before it, oldest first, bounded at local midnight. */
export function monthWindows(now: Date, timeZone: string, count: number): MonthWindow[] {
  const first = localDateOf(now, timeZone).with({ day: 1 });
  const windows: MonthWindow[] = [];
  for (let back = count - 1; back >= 0; back--) {
    const startDate = first.subtract({ months: back });
    windows.push({
      month: startDate.toString().slice(0, 7),
      start: startOfLocalDay(startDate, timeZone),
      end: startOfLocalDay(startDate.add({ months: 1 }), timeZone),
    });
  }
  return windows;
}

export type ContractHistory = {
  plan: MrrPlan;
  status: SubscriptionStatus;
  /** When it started bearing MRR; null if it never paid. */
  startedAt: Date | null;
  /** When it was canceled or withdrawn; null while it runs. */
  endedAt: Date | null;
};

/** A renewal invoice whose first attempt failed (the first charge after a trial is a "first" invoice, not one of these). */
export type FailedRenewal = { failedAt: Date; paidAt: Date | null; total: number };

export type UpcomingRenewal = { dueAt: Date; amount: number };

export type MonthFigures = {
  month: string;
  /** MRR at the month's end (or today's end, for the current month). */
  mrr: number;
  newMrr: number;
  churnedMrr: number;
  /** Contracts bearing MRR when the month began, and of them (or of those started since) how many ended in it. */
  contractsAtStart: number;
  churnedContracts: number;
  /** churnedContracts ÷ contractsAtStart, null when no contract was bearing MRR at the month's start. */
  churnRate: number | null;
  failedRenewals: number;
  recoveredRenewals: number;
  recoveredAmount: number;
  /** recoveredRenewals ÷ failedRenewals, null without failures. */
  recoveryRate: number | null;
};

export type Upcoming = { count: number; amount: number };

export type DashboardFigures = {
  mrr: number;
  counts: Record<DashboardStatus, number>;
  months: MonthFigures[];
  upcoming7: Upcoming;
  upcoming30: Upcoming;
};

export function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

function bears(c: ContractHistory, at: Date): boolean {
  return c.startedAt !== null && c.startedAt <= at && (c.endedAt === null || c.endedAt > at);
}

/** A contract that started and ended: its end is churn (one that ended before it started never bore MRR). */
function churnedIn(c: ContractHistory, w: { start: Date; end: Date }): boolean {
  return c.startedAt !== null && c.endedAt !== null && c.endedAt > c.startedAt && c.endedAt >= w.start && c.endedAt < w.end;
}

function startedIn(c: ContractHistory, w: { start: Date; end: Date }): boolean {
  return c.startedAt !== null && (c.endedAt === null || c.endedAt > c.startedAt) && c.startedAt >= w.start && c.startedAt < w.end;
}

/** The first instant after today, in the merchant's time zone: where the dashboard's "now" ends. */
export function endOfToday(now: Date, timeZone: string): Date {
  return startOfLocalDay(localDateOf(now, timeZone).add({ days: 1 }), timeZone);
}

/**
 * Renewals not yet run that fall due before the end of the `days`-th local day counting today as the first (one
 * due earlier and not run yet is still to be charged, so it counts).
 */
export function upcomingWithin(renewals: readonly UpcomingRenewal[], now: Date, days: number, timeZone: string): Upcoming {
  const until = startOfLocalDay(localDateOf(now, timeZone).add({ days }), timeZone);
  let count = 0;
  let amount = 0;
  for (const r of renewals) {
    if (r.dueAt < until) {
      count++;
      amount += r.amount;
    }
  }
  return { count, amount };
}

/**
 * The local days (YYYY-MM-DD) the database's rollups are cut at: each month's first day then tomorrow (the current
 * month runs to the end of today), and the first days after the upcoming-renewal periods (7 and 30 days, today the
 * first).
 */
export function dashboardDays(now: Date, timeZone: string, months: number): { monthCuts: string[]; upcoming7Before: string; upcoming30Before: string } {
  const today = localDateOf(now, timeZone);
  return {
    monthCuts: [...monthWindows(now, timeZone, months).map((w) => localDateOf(w.start, timeZone).toString()), today.add({ days: 1 }).toString()],
    upcoming7Before: today.add({ days: 7 }).toString(),
    upcoming30Before: today.add({ days: 30 }).toString(),
  };
}

/** A month cut at the end of today: the current month's figures are today's. Windows are half-open, [start, end). */
export function upToToday(w: MonthWindow, now: Date, timeZone: string): MonthWindow {
  const end = endOfToday(now, timeZone);
  return w.end > end ? { ...w, end } : w;
}

/** Every figure of the dashboard, from the contracts' history, at `now` in the merchant's time zone. */
export function dashboardFigures(input: {
  contracts: readonly ContractHistory[];
  failedRenewals: readonly FailedRenewal[];
  upcomingRenewals: readonly UpcomingRenewal[];
  now: Date;
  timeZone: string;
  months?: number;
}): DashboardFigures {
  const { contracts, now, timeZone } = input;
  const annualAt = (at: Date) => contracts.reduce((sum, c) => (bears(c, at) ? sum + annualNet(c.plan) : sum), 0);
  const counts = Object.fromEntries(DASHBOARD_STATUSES.map((s) => [s, 0])) as Record<DashboardStatus, number>;
  for (const c of contracts) if ((DASHBOARD_STATUSES as readonly string[]).includes(c.status)) counts[c.status as DashboardStatus]++;
  const months = monthWindows(now, timeZone, input.months ?? 12).map((whole): MonthFigures => {
    const w = upToToday(whole, now, timeZone);
    const before = new Date(w.start.getTime() - 1);
    const contractsAtStart = contracts.filter((c) => bears(c, before)).length;
    const churned = contracts.filter((c) => churnedIn(c, w));
    const failed = input.failedRenewals.filter((f) => f.failedAt >= w.start && f.failedAt < w.end);
    const recovered = failed.filter((f) => f.paidAt !== null);
    return {
      month: w.month,
      mrr: monthlyOf(annualAt(new Date(w.end.getTime() - 1))),
      newMrr: monthlyOf(contracts.filter((c) => startedIn(c, w)).reduce((sum, c) => sum + annualNet(c.plan), 0)),
      churnedMrr: monthlyOf(churned.reduce((sum, c) => sum + annualNet(c.plan), 0)),
      contractsAtStart,
      churnedContracts: churned.length,
      churnRate: ratio(churned.length, contractsAtStart),
      failedRenewals: failed.length,
      recoveredRenewals: recovered.length,
      recoveredAmount: recovered.reduce((sum, f) => sum + f.total, 0),
      recoveryRate: ratio(recovered.length, failed.length),
    };
  });
  return {
    mrr: monthlyOf(annualAt(new Date(endOfToday(now, timeZone).getTime() - 1))),
    counts,
    months,
    upcoming7: upcomingWithin(input.upcomingRenewals, now, 7, timeZone),
    upcoming30: upcomingWithin(input.upcomingRenewals, now, 30, timeZone),
  };
}
