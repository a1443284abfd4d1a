import { z } from "zod";
import { billingSettingsSchema, dunningNoticeSchema, dunningTimelineSchema } from "@/lib/billing/billing-settings";
import { getBillingSettings } from "@/lib/services/queries/billing-settings";
import { updateBillingSettings } from "@/lib/services/update-billing-settings";
import { billingSettingsObject, toBillingSettings } from "../objects/settings";
import { route } from "../router";

const settings = billingSettingsSchema.shape;
const notice = dunningNoticeSchema.shape;
const withdraw = dunningTimelineSchema.shape.withdraw.shape;

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
    summary: "Replace the billing settings; they apply to what is planned from now on",
    body: z.strictObject({
      retry_schedule_days: settings.retryScheduleDays,
      dunning: z.strictObject({
        // The domain schema (checked again by the service) also limits the number of notices.
        notices: z.array(z.strictObject({ template: notice.template, days_after_paid_through: notice.daysAfterPaidThrough })),
        withdraw: z.strictObject({ enabled: withdraw.enabled, hours_after_last_notice: withdraw.hoursAfterLastNotice }),
      }),
      card_on_file_window_days: settings.cardOnFileWindowDays,
    }),
    response: billingSettingsObject,
    handler: async ({ ctx, body }) =>
      toBillingSettings(
        await updateBillingSettings(ctx, {
          retryScheduleDays: body.retry_schedule_days,
          dunning: {
            notices: body.dunning.notices.map((n) => ({ template: n.template, daysAfterPaidThrough: n.days_after_paid_through })),
            withdraw: { enabled: body.dunning.withdraw.enabled, hoursAfterLastNotice: body.dunning.withdraw.hours_after_last_notice },
          },
          cardOnFileWindowDays: body.card_on_file_window_days,
        }),
      ),
  }),
];
