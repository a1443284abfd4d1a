import { z } from "zod";
import { type BillingSettings, fallbackInvoiceOf } from "@/lib/billing/billing-settings";
import { DUNNING_TEMPLATES } from "@/lib/billing/mail-template";
import { ACTION_KINDS } from "@/lib/billing/scheduled-action";
import { SUBSCRIPTION_STATUSES } from "@/lib/billing/subscription-state";
import type { BillingSettingsPreview } from "@/lib/services/update-billing-settings";
import { iso, timestamp } from "../list";

export const billingSettingsObject = z
  .object({
    object: z.literal("billing_settings"),
    retry_schedule_days: z.array(z.number().int()).describe("Days after the first failure at which a failed charge is tried again"),
    dunning: z.object({
      notices: z.array(z.object({ template: z.enum(DUNNING_TEMPLATES), days_after_paid_through: z.number().int() })),
      withdraw: z.object({ enabled: z.boolean(), hours_after_last_notice: z.number().int() }),
      fallback_invoice: z
        .object({ enabled: z.boolean(), days_after_paid_through: z.number().int() })
        .describe("The overdue yen invoice sent as a 後払い (konbini / bank) invoice this many days after the paid-through date (needs 後払い on)"),
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
      fallback_invoice: { enabled: fallbackInvoiceOf(settings.dunning).enabled, days_after_paid_through: fallbackInvoiceOf(settings.dunning).daysAfterPaidThrough },
    },
    card_on_file_window_days: settings.cardOnFileWindowDays,
  };
}

const step = z.object({ kind: z.enum(ACTION_KINDS), due_at: timestamp });

export const billingSettingsPreviewObject = z
  .object({
    object: z.literal("billing_settings_preview"),
    subscriptions_changed: z.number().int().describe("Past-due and unpaid subscriptions whose retries, notices or withdrawal would be planned again"),
    example: z
      .object({
        subscription: z.string(),
        status_before: z.enum(SUBSCRIPTION_STATUSES),
        status_after: z.enum(SUBSCRIPTION_STATUSES),
        before: z.array(step),
        after: z.array(step),
      })
      .nullable()
      .describe("One of them: its planned steps now, and with the new settings"),
  })
  .meta({ id: "BillingSettingsPreview" });

export function toBillingSettingsPreview(preview: BillingSettingsPreview): z.infer<typeof billingSettingsPreviewObject> {
  const steps = (list: { kind: (typeof ACTION_KINDS)[number]; dueAt: Date }[]) => list.map((s) => ({ kind: s.kind, due_at: iso(s.dueAt)! }));
  return {
    object: "billing_settings_preview",
    subscriptions_changed: preview.contractsChanged,
    example: preview.example
      ? {
          subscription: preview.example.subscriptionId,
          status_before: preview.example.statusBefore,
          status_after: preview.example.statusAfter,
          before: steps(preview.example.before),
          after: steps(preview.example.after),
        }
      : null,
  };
}
