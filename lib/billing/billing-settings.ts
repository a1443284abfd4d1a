import { z } from "zod";
import { DUNNING_TEMPLATES } from "./mail-template";

const MAX_RETRIES = 10;

export const retryScheduleSchema = z
  .array(z.number().int().min(1).max(365))
  .max(MAX_RETRIES, `at most ${MAX_RETRIES} retries`)
  .refine((days) => days.every((d, i) => i === 0 || d > days[i - 1]!), "retry days must increase: each is counted from the first failure");

export const dunningNoticeSchema = z.object({
  template: z.enum(DUNNING_TEMPLATES),
  daysAfterPaidThrough: z.number().int().min(0).max(3650),
});

/**
 * Issue 14, automatically: on this day after the paid-through date the overdue yen invoice is sent to the customer as
 * a 後払い invoice (konbini / bank), as staff would send it from the contract page.
 */
export const fallbackInvoiceSchema = z.object({ enabled: z.boolean(), daysAfterPaidThrough: z.number().int().min(0).max(3650) });

export const dunningTimelineSchema = z.object({
  notices: z.array(dunningNoticeSchema).max(10),
  withdraw: z.object({ enabled: z.boolean(), hoursAfterLastNotice: z.number().int().min(0).max(24 * 365) }),
  /** Absent in settings saved before it existed: off (fallbackInvoiceOf). */
  fallbackInvoice: fallbackInvoiceSchema.optional(),
});

export const billingSettingsSchema = z.object({
  /** Days after the first failure at which a failed charge is tried again. */
  retryScheduleDays: retryScheduleSchema,
  dunning: dunningTimelineSchema,
  /** An additional charge is refused when the last successful payment is older than this. */
  cardOnFileWindowDays: z.number().int().min(1).max(3650),
});

export type RetrySchedule = z.infer<typeof retryScheduleSchema>;
export type DunningNotice = z.infer<typeof dunningNoticeSchema>;
export type FallbackInvoiceSettings = z.infer<typeof fallbackInvoiceSchema>;
export type DunningTimelineSettings = z.infer<typeof dunningTimelineSchema>;
export type BillingSettings = z.infer<typeof billingSettingsSchema>;

/** Retry 7 days and 7 more days after the first failure (seed 000). */
export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = [7, 14];
export const RETRY_PRESETS = {
  default: DEFAULT_RETRY_SCHEDULE,
  /** Weekly, three times (seed 004). */
  weeklyTimes3: [7, 14, 21],
  /** 5 and 10 days after the first failure, as PayPal does (seed 002). */
  paypal: [5, 10],
} as const satisfies Record<string, RetrySchedule>;

/** Unpaid notice +1 d, final notice +60 d, withdrawal notice +67 d, withdrawn 1 h later (seed 002). */
export const DEFAULT_DUNNING_TIMELINE: DunningTimelineSettings = {
  notices: [
    { template: "unpaid_notice", daysAfterPaidThrough: 1 },
    { template: "final_notice", daysAfterPaidThrough: 60 },
    { template: "withdrawal_notice", daysAfterPaidThrough: 67 },
  ],
  withdraw: { enabled: true, hoursAfterLastNotice: 1 },
};

/** Off until the merchant turns it on; two weeks after the paid-through date is offered when they do. */
export const FALLBACK_INVOICE_OFF: FallbackInvoiceSettings = { enabled: false, daysAfterPaidThrough: 14 };

/** The timeline's fallback invoice setting, off when the stored settings predate it. */
export function fallbackInvoiceOf(timeline: Pick<DunningTimelineSettings, "fallbackInvoice">): FallbackInvoiceSettings {
  return timeline.fallbackInvoice ?? FALLBACK_INVOICE_OFF;
}

export const DEFAULT_BILLING_SETTINGS: BillingSettings = {
  retryScheduleDays: DEFAULT_RETRY_SCHEDULE,
  dunning: DEFAULT_DUNNING_TIMELINE,
  cardOnFileWindowDays: 365,
};
