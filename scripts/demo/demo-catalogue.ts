import type { z } from "zod";
import type { ServiceContext } from "@/lib/services/context";
import { createPlan, type createPlanInput } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";

/** The demo merchant's four businesses: a language school, a yoga studio, a bento subscription and a SaaS. */
const PRODUCTS = {
  school: { name: "ことのは英会話スクール", description: "オンライン英会話。14日間の無料体験つき、入会金あり" },
  yoga: { name: "ヨガスタジオ ひだまり", description: "月会費は毎月27日払い（初月日割）、4回コースは毎月1日払い" },
  bento: { name: "まごころ弁当 定期便", description: "平日5日お届け、毎週月曜に1週間分をお支払い（軽減税率8%）" },
  saas: { name: "らくらく経理クラウド", description: "個人事業主・小規模法人向けのクラウド会計" },
} as const;

type PlanTerms = Omit<z.input<typeof createPlanInput>, "productId"> & { product: keyof typeof PRODUCTS };

/**
 * The plans. The stories (demo-stories.ts) rely on three facts of each: its interval, its trial, and whether its
 * periods follow the sign-up day (billingDay "signup") — those renew on the same day every month, which lets a story
 * pick the sign-up day that puts a renewal on the day it wants a card to fail.
 */
export const DEMO_PLANS = {
  schoolStandard: { product: "school", name: "スタンダード（月4回）", amount: 8800, interval: "month", trialDays: 14, trialReminderDays: 3, joiningFee: 5500 },
  schoolLight: { product: "school", name: "ライト（月2回）", amount: 4950, interval: "month", trialDays: 14, trialReminderDays: 3, joiningFee: 5500 },
  yogaUnlimited: { product: "yoga", name: "月会費（通い放題）", amount: 11000, interval: "month", billingDay: 27, firstPeriod: "prorate" },
  yogaFour: { product: "yoga", name: "月4回コース", amount: 7700, interval: "month", billingDay: 1, firstPeriod: "full" },
  bentoWeekdays: { product: "bento", name: "週5日（平日）", amount: 4500, interval: "week", billingDay: 1, firstPeriod: "full", taxRate: 8 },
  saasBasic: { product: "saas", name: "ベーシック（月額）", amount: 1980, interval: "month" },
  saasPro: { product: "saas", name: "プロ（月額・30日間無料）", amount: 4980, interval: "month", trialDays: 30, trialReminderDays: 7 },
  saasAnnual: { product: "saas", name: "ベーシック（年額）", amount: 19800, interval: "year" },
} as const satisfies Record<string, PlanTerms>;

export type DemoPlanKey = keyof typeof DEMO_PLANS;

/** Plans whose months follow the sign-up day: renewals fall on the same day of every month. */
export const SIGNUP_ANCHORED_MONTHLY: readonly DemoPlanKey[] = ["schoolStandard", "schoolLight", "saasBasic", "saasPro"];
/** Plans that charge at sign-up (no trial, no free days): a declined card leaves their contract incomplete. */
export const CHARGED_AT_SIGNUP: readonly DemoPlanKey[] = ["saasBasic", "saasAnnual", "yogaUnlimited", "yogaFour", "bentoWeekdays"];

export const trialDaysOf = (plan: DemoPlanKey): number => ("trialDays" in DEMO_PLANS[plan] ? (DEMO_PLANS[plan] as { trialDays: number }).trialDays : 0);

/** Creates the products and plans; returns each plan's id by key. */
export async function createDemoCatalogue(ctx: ServiceContext): Promise<Record<DemoPlanKey, string>> {
  const productIds = {} as Record<keyof typeof PRODUCTS, string>;
  for (const [key, product] of Object.entries(PRODUCTS) as [keyof typeof PRODUCTS, (typeof PRODUCTS)[keyof typeof PRODUCTS]][]) {
    productIds[key] = (await createProduct(ctx, product)).id;
  }
  const planIds = {} as Record<DemoPlanKey, string>;
  for (const [key, { product, ...terms }] of Object.entries(DEMO_PLANS) as [DemoPlanKey, PlanTerms][]) {
    planIds[key] = (await createPlan(ctx, { ...terms, productId: productIds[product] })).id;
  }
  return planIds;
}
