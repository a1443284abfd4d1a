import { z } from "zod";
import { billingSettingsSchema, dunningNoticeSchema, dunningTimelineSchema, fallbackInvoiceSchema } from "@/lib/billing/billing-settings";
import { getBillingSettings } from "@/lib/services/queries/billing-settings";
import { previewBillingSettings, updateBillingSettings } from "@/lib/services/update-billing-settings";
import { billingSettingsObject, billingSettingsPreviewObject, toBillingSettings, toBillingSettingsPreview } from "../objects/settings";
import { route } from "../router";

const settings = billingSettingsSchema.shape;
const notice = dunningNoticeSchema.shape;
const withdraw = dunningTimelineSchema.shape.withdraw.shape;
const fallback = fallbackInvoiceSchema.shape;

/**
 * The settings as PUT and preview take them: the object GET returns, with its read-only `object` field accepted
 * when it says what GET says, so that GET → edit → PUT works.
 */
const settingsBody = z.strictObject({
  object: z.literal("billing_settings").optional().describe("Read-only; accepted when it matches"),
  retry_schedule_days: settings.retryScheduleDays,
  dunning: z.strictObject({
    // The domain schema (checked again by the service) also limits the number of notices.
    notices: z.array(z.strictObject({ template: notice.template, days_after_paid_through: notice.daysAfterPaidThrough })),
    withdraw: z.strictObject({ enabled: withdraw.enabled, hours_after_last_notice: withdraw.hoursAfterLastNotice }),
    fallback_invoice: z
      .strictObject({ enabled: fallback.enabled, days_after_paid_through: fallback.daysAfterPaidThrough })
      .optional()
      .describe("Left out: stays as saved"),
  }),
  card_on_file_window_days: settings.cardOnFileWindowDays,
});

function fromBody(body: z.infer<typeof settingsBody>) {
  return {
    retryScheduleDays: body.retry_schedule_days,
    dunning: {
      notices: body.dunning.notices.map((n) => ({ template: n.template, daysAfterPaidThrough: n.days_after_paid_through })),
      withdraw: { enabled: body.dunning.withdraw.enabled, hoursAfterLastNotice: body.dunning.withdraw.hours_after_last_notice },
      ...(body.dunning.fallback_invoice ? { fallbackInvoice: { enabled: body.dunning.fallback_invoice.enabled, daysAfterPaidThrough: body.dunning.fallback_invoice.days_after_paid_through } } : {}),
    },
    cardOnFileWindowDays: body.card_on_file_window_days,
  };
}

export const settingsRoutes = [
  route({
    method: "GET",
    path: "/settings/billing",
    tag: "Settings",
    summary: "Retrieve the billing settings (retry schedule, dunning timeline, card-on-file window)",
    response: billingSettingsObject,
    handler: async ({ ctx }) => toBillingSettings(await getBillingSettings(ctx)),
  }),
  route({
    method: "PUT",
    path: "/settings/billing",
    tag: "Settings",
    summary:
      "Replace the billing settings (the object GET returns is accepted as it is). They apply to existing subscriptions too: the retries, notices and withdrawal not yet " +
      "run of every past_due or unpaid subscription are planned again by the new settings, in one transaction (see POST /settings/billing/preview).",
    body: settingsBody,
    response: billingSettingsObject,
    handler: async ({ ctx, body }) => toBillingSettings(await updateBillingSettings(ctx, fromBody(body))),
  }),
  route({
    method: "POST",
    path: "/settings/billing/preview",
    tag: "Settings",
    summary: "What PUT /settings/billing would change, with nothing written: how many subscriptions would be planned again, and one of them before and after.",
    body: settingsBody,
    response: billingSettingsPreviewObject,
    handler: async ({ ctx, body }) => toBillingSettingsPreview(await previewBillingSettings(ctx, fromBody(body))),
  }),
];
