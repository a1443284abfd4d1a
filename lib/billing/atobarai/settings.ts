import { z } from "zod";

/**
 * A merchant's 後払い (pay after delivery) terms: the screening rules it can read, the fees it pays on each order,
 * when buyers must pay and are reminded, and when it is paid (立替払い). Amounts are yen (JPY has no minor unit).
 */
export const screeningRulesSchema = z.object({
  /** An order above this is NG (the seed's services cap one order, typically at ¥55,000). */
  orderAmountLimit: z.number().int().min(1).max(10_000_000),
  /** What one buyer may owe at once, this order included (unpaid invoices and orders not yet shipped): above → NG. */
  buyerOutstandingLimit: z.number().int().min(1).max(100_000_000),
  /** Orders at or above this go to staff (保留) even when every rule passes; null: never for the amount alone. */
  reviewAbove: z.number().int().min(1).max(10_000_000).nullable(),
  /** A buyer with this many orders sent to collection (要回収) before is NG; one fewer (but at least one) → 保留. */
  defaultsForRejection: z.number().int().min(1).max(10),
});

export const atobaraiFeesSchema = z.object({
  /** Per shipped order, yen. */
  perOrder: z.number().int().min(0).max(100_000),
  /** Of the order's amount, in basis points (290 = 2.90 %), rounded down to the yen. */
  rateBasisPoints: z.number().int().min(0).max(5_000),
});

export const settlementCycleSchema = z.discriminatedUnion("kind", [
  /** Closes every week on this ISO weekday (1 = Monday … 7 = Sunday), at the end of that day. */
  z.object({ kind: z.literal("weekly"), closeWeekday: z.number().int().min(1).max(7) }),
  /** Closes at the end of every month. */
  z.object({ kind: z.literal("monthly") }),
]);

export const atobaraiSettingsSchema = z.object({
  screening: screeningRulesSchema,
  fees: atobaraiFeesSchema,
  /** Days after the invoice is issued by which the buyer pays. */
  dueDays: z.number().int().min(1).max(90),
  /** Days after the due date on which an unpaid buyer is reminded, first and second. */
  reminderDays: z.array(z.number().int().min(1).max(180)).max(5).refine((d) => d.every((x, i) => i === 0 || x > d[i - 1]!), "reminder days must increase"),
  /** Days after the due date after which an unpaid order is handed to collection (要回収). */
  collectionAfterDays: z.number().int().min(1).max(365),
  settlementCycle: settlementCycleSchema,
  /** A change of cycle waits for the current period to close (seed 003's FAQ): then this becomes the cycle. */
  nextSettlementCycle: settlementCycleSchema.nullable(),
  /** Whether invoices are mailed to the buyer or enclosed in the parcel (同梱) by default. */
  invoiceDelivery: z.enum(["mail", "enclosed"]),
});

export type ScreeningRules = z.infer<typeof screeningRulesSchema>;
export type AtobaraiFees = z.infer<typeof atobaraiFeesSchema>;
export type SettlementCycle = z.infer<typeof settlementCycleSchema>;
export type AtobaraiSettings = z.infer<typeof atobaraiSettingsSchema>;

export const DEFAULT_ATOBARAI_SETTINGS: AtobaraiSettings = {
  screening: { orderAmountLimit: 55_000, buyerOutstandingLimit: 100_000, reviewAbove: 30_000, defaultsForRejection: 2 },
  fees: { perOrder: 190, rateBasisPoints: 290 },
  dueDays: 14,
  reminderDays: [7, 14],
  collectionAfterDays: 21,
  settlementCycle: { kind: "monthly" },
  nextSettlementCycle: null,
  invoiceDelivery: "mail",
};

/** The fee Keizoku keeps on one shipped order: per order plus the rate, the rate rounded down to the yen. */
export function orderFee(amount: number, fees: AtobaraiFees): number {
  return fees.perOrder + Math.floor((amount * fees.rateBasisPoints) / 10_000);
}
