import { z } from "zod";
import type { plans, products } from "@/db/schema";
import { BILLING_INTERVALS, FIRST_PERIOD_RULES, TAX_BEHAVIORS } from "@/lib/billing/plan";
import { iso, timestamp } from "../list";

export const productObject = z
  .object({ id: z.string(), object: z.literal("product"), name: z.string(), description: z.string().nullable(), active: z.boolean(), created: timestamp })
  .meta({ id: "Product" });

export function toProduct(row: typeof products.$inferSelect): z.infer<typeof productObject> {
  return { id: row.id, object: "product", name: row.name, description: row.description, active: row.active, created: iso(row.createdAt)! };
}

export const planObject = z
  .object({
    id: z.string(),
    object: z.literal("plan"),
    product: z.string(),
    name: z.string().nullable(),
    amount: z.number().int().describe("Minor units (yen for JPY)"),
    currency: z.string(),
    interval: z.enum(BILLING_INTERVALS),
    billing_day: z.union([z.number().int(), z.literal("signup")]),
    first_period: z.enum(FIRST_PERIOD_RULES),
    trial_days: z.number().int().nullable(),
    trial_until: z.string().nullable(),
    trial_reminder_days: z.number().int().nullable(),
    joining_fee: z.number().int(),
    tax_behavior: z.enum(TAX_BEHAVIORS),
    tax_rate: z.number().int(),
    retry_schedule_days: z.array(z.number().int()).nullable(),
    usage_rates: z.array(z.object({ metric: z.string(), unit_amount: z.number().int() })),
    active: z.boolean(),
    created: timestamp,
  })
  .meta({ id: "Plan" });

export function toPlan(row: typeof plans.$inferSelect): z.infer<typeof planObject> {
  return {
    id: row.id,
    object: "plan",
    product: row.productId,
    name: row.name,
    amount: row.amount,
    currency: row.currency,
    interval: row.interval,
    billing_day: row.billingDay ?? "signup",
    first_period: row.firstPeriod,
    trial_days: row.trialDays,
    trial_until: row.trialUntil,
    trial_reminder_days: row.trialReminderDays,
    joining_fee: row.joiningFee,
    tax_behavior: row.taxBehavior,
    tax_rate: row.taxRate,
    retry_schedule_days: row.retryScheduleDays ?? null,
    usage_rates: row.usageRates.map((r) => ({ metric: r.metric, unit_amount: r.unitAmount })),
    active: row.active,
    created: iso(row.createdAt)!,
  };
}
