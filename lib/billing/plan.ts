export const BILLING_INTERVALS = ["week", "2week", "month", "3month", "6month", "year"] as const;
export type BillingInterval = (typeof BILLING_INTERVALS)[number];

export const FIRST_PERIOD_RULES = ["prorate", "full", "free"] as const;
/** How the partial period between sign-up (or trial end) and the first billing day is charged. */
export type FirstPeriodRule = (typeof FIRST_PERIOD_RULES)[number];

export const TAX_BEHAVIORS = ["inclusive", "exclusive"] as const;
export type TaxBehavior = (typeof TAX_BEHAVIORS)[number];
export const TAX_RATES = [10, 8] as const;
export type TaxRate = (typeof TAX_RATES)[number];

export type UsageRate = { metric: string; unitAmount: number };

/** What the domain needs to know of a plan: plain data, loaded by the services. */
export type PlanTerms = {
  amount: number;
  currency: string;
  interval: BillingInterval;
  /** Day of month 1–31, weekday 0–6 for week intervals, or null for the sign-up day. */
  billingDay: number | null;
  firstPeriod: FirstPeriodRule;
  trialDays: number | null;
  /** Local date YYYY-MM-DD. */
  trialUntil: string | null;
  trialReminderDays: number | null;
  joiningFee: number;
  taxBehavior: TaxBehavior;
  taxRate: number;
  usageRates: UsageRate[];
  retryScheduleDays: number[] | null;
};

export function isWeekInterval(interval: BillingInterval): boolean {
  return interval === "week" || interval === "2week";
}

export const INTERVAL_LABELS_JA: Record<BillingInterval, string> = {
  week: "毎週",
  "2week": "隔週",
  month: "毎月",
  "3month": "3か月ごと",
  "6month": "6か月ごと",
  year: "毎年",
};
