import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { merchants, plans, products } from "@/db/schema";
import { retryScheduleSchema } from "@/lib/billing/billing-settings";
import { parseLocalDate } from "@/lib/billing/calendar";
import { isKnownCurrency } from "@/lib/billing/money";
import { BILLING_INTERVALS, FIRST_PERIOD_RULES, isWeekInterval, TAX_BEHAVIORS } from "@/lib/billing/plan";
import { newId } from "@/lib/ids";
import { recordAudit } from "./internal/audit";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { conflict, invalid, notFound, parseInput } from "./errors";

const amount = z.number().int().min(0).max(99_999_999_999);
const localDate = z.string().refine((s) => {
  try {
    parseLocalDate(s);
    return true;
  } catch {
    return false;
  }
}, "must be a date YYYY-MM-DD");

export const createPlanInput = z.object({
  productId: z.string().min(1),
  name: z.string().trim().min(1).max(200).nullish(),
  amount,
  currency: z.string().transform((c) => c.toLowerCase()).refine(isKnownCurrency, "unknown currency").optional(),
  interval: z.enum(BILLING_INTERVALS),
  /** 1–31 for month-based intervals, 0–6 for week-based, or "signup". */
  billingDay: z.union([z.number().int().min(0).max(31), z.literal("signup")]).default("signup"),
  firstPeriod: z.enum(FIRST_PERIOD_RULES).default("full"),
  trialDays: z.number().int().min(1).max(730).nullish(),
  trialUntil: localDate.nullish(),
  trialReminderDays: z.number().int().min(1).max(60).nullish(),
  joiningFee: amount.default(0),
  taxBehavior: z.enum(TAX_BEHAVIORS).default("inclusive"),
  taxRate: z.union([z.literal(10), z.literal(8)]).default(10),
  retryScheduleDays: retryScheduleSchema.nullish(),
  usageRates: z.array(z.object({ metric: z.string().min(1).max(100), unitAmount: amount })).max(20).default([]),
});

export async function createPlan(ctx: ServiceContext, input: z.input<typeof createPlanInput>) {
  const data = parseInput(createPlanInput, input);
  authorize(ctx.actor, "catalogue.manage");
  const week = isWeekInterval(data.interval);
  if (data.billingDay !== "signup") {
    if (week && data.billingDay > 6) throw invalid("billing_day for weekly plans is a weekday 0 (Sunday) – 6 (Saturday)", "billing_day");
    if (!week && data.billingDay < 1) throw invalid("billing_day for monthly plans is a day of month 1–31", "billing_day");
  }
  if (data.trialDays && data.trialUntil) throw invalid("Give either trial_days or trial_until, not both", "trial_until");
  return ctx.db.transaction(async (tx) => {
    const [product] = await tx.select().from(products).where(and(eq(products.id, data.productId), eq(products.merchantId, ctx.merchantId)));
    if (!product) throw notFound("product", data.productId, "product");
    if (!product.active) throw conflict("The product is archived: restore it before adding a plan", "product_archived");
    const [merchantCurrency] = await tx.select({ currency: merchants.currency }).from(merchants).where(eq(merchants.id, ctx.merchantId));
    const [plan] = await tx
      .insert(plans)
      .values({
        id: newId("plan"),
        merchantId: ctx.merchantId,
        productId: product.id,
        name: data.name ?? null,
        amount: data.amount,
        currency: data.currency ?? merchantCurrency?.currency ?? "jpy",
        interval: data.interval,
        billingDay: data.billingDay === "signup" ? null : data.billingDay,
        firstPeriod: data.firstPeriod,
        trialDays: data.trialDays ?? null,
        trialUntil: data.trialUntil ?? null,
        trialReminderDays: data.trialReminderDays ?? null,
        joiningFee: data.joiningFee,
        taxBehavior: data.taxBehavior,
        taxRate: data.taxRate,
        retryScheduleDays: data.retryScheduleDays ?? null,
        usageRates: data.usageRates,
      })
      .returning();
    await recordAudit(tx, ctx, { action: "plan.created", targetType: "plan", targetId: plan!.id, at: ctx.clock.now() });
    return plan!;
  });
}
