import { z } from "zod";
import { createPlan, createPlanInput } from "@/lib/services/create-plan";
import { archivePlan } from "@/lib/services/archive-plan";
import { createProduct, createProductInput } from "@/lib/services/create-product";
import { updateProduct } from "@/lib/services/update-product";
import { getPlan, getProduct, listPlans, listProducts } from "@/lib/services/queries/catalogue";
import { listOf, listQuery, toList } from "../list";
import { planObject, productObject, toPlan, toProduct } from "../objects/catalogue";
import { route } from "../router";

const plan = createPlanInput.shape;

export const catalogueRoutes = [
  route({
    method: "POST",
    path: "/products",
    tag: "Products",
    summary: "Create a product",
    body: z.strictObject({ name: createProductInput.shape.name, description: createProductInput.shape.description }),
    response: productObject,
    handler: async ({ ctx, body }) => toProduct(await createProduct(ctx, body)),
  }),
  route({
    method: "GET",
    path: "/products",
    tag: "Products",
    summary: "List products, newest first",
    query: listQuery,
    response: listOf(productObject),
    handler: async ({ ctx, query }) => toList(await listProducts(ctx, { limit: query.limit, startingAfter: query.starting_after }), toProduct),
  }),
  route({
    method: "GET",
    path: "/products/{id}",
    tag: "Products",
    summary: "Retrieve a product",
    response: productObject,
    handler: async ({ ctx, params }) => toProduct(await getProduct(ctx, params.id!)),
  }),
  route({
    method: "POST",
    path: "/products/{id}",
    tag: "Products",
    summary: "Update a product: name, description, or archive it (active: false) and restore it; fields left out stay as they are",
    body: z.strictObject({
      name: createProductInput.shape.name.optional(),
      description: createProductInput.shape.description,
      active: z.boolean().optional().describe("false: archived (no new plans or checkout links; contracts carry on); true: offered again"),
    }),
    response: productObject,
    handler: async ({ ctx, params, body }) => toProduct(await updateProduct(ctx, { productId: params.id!, ...body })),
  }),
  route({
    method: "POST",
    path: "/plans",
    tag: "Plans",
    summary: "Create a plan (a price of a product)",
    body: z.strictObject({
      product: plan.productId,
      name: plan.name,
      amount: plan.amount,
      currency: plan.currency,
      interval: plan.interval,
      billing_day: plan.billingDay.describe("1–31 for month-based intervals (clamped to month-end), weekday 0–6 for week intervals, or \"signup\""),
      first_period: plan.firstPeriod,
      trial_days: plan.trialDays,
      trial_until: plan.trialUntil.describe("A local date YYYY-MM-DD in the merchant's time zone"),
      trial_reminder_days: plan.trialReminderDays,
      joining_fee: plan.joiningFee,
      tax_behavior: plan.taxBehavior,
      tax_rate: plan.taxRate,
      retry_schedule_days: plan.retryScheduleDays,
      usage_rates: z.array(z.strictObject({ metric: z.string().min(1).max(100), unit_amount: z.number().int().min(0) })).max(20).optional(),
    }),
    response: planObject,
    handler: async ({ ctx, body }) =>
      toPlan(
        await createPlan(ctx, {
          productId: body.product,
          name: body.name,
          amount: body.amount,
          currency: body.currency,
          interval: body.interval,
          billingDay: body.billing_day,
          firstPeriod: body.first_period,
          trialDays: body.trial_days,
          trialUntil: body.trial_until,
          trialReminderDays: body.trial_reminder_days,
          joiningFee: body.joining_fee,
          taxBehavior: body.tax_behavior,
          taxRate: body.tax_rate,
          retryScheduleDays: body.retry_schedule_days,
          usageRates: body.usage_rates?.map((r) => ({ metric: r.metric, unitAmount: r.unit_amount })),
        }),
      ),
  }),
  route({
    method: "GET",
    path: "/plans",
    tag: "Plans",
    summary: "List plans, newest first",
    query: listQuery.extend({ product: z.string().optional() }),
    response: listOf(planObject),
    handler: async ({ ctx, query }) => toList(await listPlans(ctx, { limit: query.limit, startingAfter: query.starting_after, productId: query.product }), toPlan),
  }),
  route({
    method: "GET",
    path: "/plans/{id}",
    tag: "Plans",
    summary: "Retrieve a plan",
    response: planObject,
    handler: async ({ ctx, params }) => toPlan(await getPlan(ctx, params.id!)),
  }),
  route({
    method: "POST",
    path: "/plans/{id}",
    tag: "Plans",
    summary: "Retire a plan (active: false): nobody new can sign up to it; contracts on it keep it. A plan's price never changes: make a new plan",
    body: z.strictObject({ active: z.literal(false).describe("Only false: a retired plan is not offered again") }),
    response: planObject,
    handler: async ({ ctx, params }) => toPlan(await archivePlan(ctx, { planId: params.id! })),
  }),
];
