import { z } from "zod";
import type { BillingSettings } from "@/lib/billing/billing-settings";
import { DUNNING_TEMPLATES } from "@/lib/billing/mail-template";

export const billingSettingsObject = z
  .object({
    object: z.literal("billing_settings"),
    retry_schedule_days: z.array(z.number().int()).describe("Days after the first failure at which a failed charge is tried again"),
    dunning: z.object({
      notices: z.array(z.object({ template: z.enum(DUNNING_TEMPLATES), days_after_paid_through: z.number().int() })),
      withdraw: z.object({ enabled: z.boolean(), hours_after_last_notice: z.number().int() }),
    }),
    card_on_file_window_days: z.number().int().describe("An additional charge is refused when the last successful payment is older than this"),
  })
  .meta({ id: "BillingSettings" });

export function toBillingSettings(settings: BillingSettings): z.infer<typeof billingSettingsObject> {
  return {
    object: "billing_settings",
    retry_schedule_days: [...settings.retryScheduleDays],
    dunning: {
      notices: settings.dunning.notices.map((n) => ({ template: n.template, days_after_paid_through: n.daysAfterPaidThrough })),
      withdraw: { enabled: settings.dunning.withdraw.enabled, hours_after_last_notice: settings.dunning.withdraw.hoursAfterLastNotice },
    },
    card_on_file_window_days: settings.cardOnFileWindowDays,
  };
}
