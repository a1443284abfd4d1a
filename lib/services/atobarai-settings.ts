import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { atobaraiAccounts, merchants } from "@/db/schema";
import { localDateOf } from "@/lib/billing/calendar";
import { atobaraiFeesSchema, atobaraiSettingsSchema, DEFAULT_ATOBARAI_SETTINGS, screeningRulesSchema, settlementCycleSchema, type AtobaraiSettings, type SettlementCycle } from "@/lib/billing/atobarai/settings";
import { settlementPeriodOf } from "@/lib/billing/atobarai/settlement-period";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { conflict, invalid, notFound, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";

export type AtobaraiAccount = typeof atobaraiAccounts.$inferSelect;

/** The merchant's 後払い account; `conflict` (atobarai_off) when 後払い has not been turned on. */
export async function atobaraiAccountOf(tx: Db, merchantId: string): Promise<AtobaraiAccount & { timeZone: string }> {
  const [row] = await tx
    .select({ account: atobaraiAccounts, timeZone: merchants.timeZone })
    .from(merchants)
    .leftJoin(atobaraiAccounts, eq(atobaraiAccounts.merchantId, merchants.id))
    .where(eq(merchants.id, merchantId));
  if (!row) throw notFound("merchant", merchantId);
  if (!row.account) throw conflict("後払い is not turned on for this merchant", "atobarai_off");
  return { ...row.account, timeZone: row.timeZone };
}

/** The cycle in force on `today`: a pending change whose first day has come counts even before the close applies it. */
export function cycleInForce(account: Pick<AtobaraiAccount, "settings" | "nextCycleFrom">, today: string): SettlementCycle {
  const { settings, nextCycleFrom } = account;
  return settings.nextSettlementCycle && nextCycleFrom && nextCycleFrom <= today ? settings.nextSettlementCycle : settings.settlementCycle;
}

/** Turns 後払い on with the default terms; turning it on again changes nothing. */
export async function enableAtobarai(ctx: ServiceContext) {
  authorize(ctx.actor, "atobarai.manage");
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const [created] = await tx.insert(atobaraiAccounts).values({ merchantId: ctx.merchantId, settings: DEFAULT_ATOBARAI_SETTINGS, updatedAt: now }).onConflictDoNothing().returning();
    if (created) await recordAudit(tx, ctx, { action: "atobarai.enabled", targetType: "merchant", targetId: ctx.merchantId, at: now });
    return atobaraiAccountOf(tx, ctx.merchantId);
  });
}

export const updateAtobaraiSettingsInput = z
  .object({
    screening: screeningRulesSchema,
    fees: atobaraiFeesSchema,
    dueDays: atobaraiSettingsSchema.shape.dueDays,
    reminderDays: atobaraiSettingsSchema.shape.reminderDays,
    collectionAfterDays: atobaraiSettingsSchema.shape.collectionAfterDays,
    settlementCycle: settlementCycleSchema,
    invoiceDelivery: atobaraiSettingsSchema.shape.invoiceDelivery,
  })
  .partial()
  .strict();

const sameCycle = (a: SettlementCycle, b: SettlementCycle) => a.kind === b.kind && (a.kind === "monthly" || (b.kind === "weekly" && a.closeWeekday === b.closeWeekday));

/**
 * Changes 後払い terms. Screening rules, fees, due and reminder days apply from now on (to orders screened and
 * invoices issued after the change). A new settlement cycle waits for the current period to close (seed 003's FAQ):
 * it is kept as `nextSettlementCycle` from the day after the current period's end; asking for the cycle in force
 * again withdraws a pending change.
 */
export async function updateAtobaraiSettings(ctx: ServiceContext, input: z.input<typeof updateAtobaraiSettingsInput>) {
  const data = parseInput(updateAtobaraiSettingsInput, input);
  authorize(ctx.actor, "atobarai.manage");
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    await tx.select({ id: atobaraiAccounts.merchantId }).from(atobaraiAccounts).where(eq(atobaraiAccounts.merchantId, ctx.merchantId)).for("update");
    const account = await atobaraiAccountOf(tx, ctx.merchantId);
    const before = account.settings;
    const { settlementCycle: askedCycle, ...terms } = data;
    let settings: AtobaraiSettings = { ...before, ...terms };
    let nextCycleFrom = account.nextCycleFrom;
    if (askedCycle) {
      const today = localDateOf(now, account.timeZone);
      const current = cycleInForce(account, today.toString());
      if (current !== before.settlementCycle) {
        // The pending change has begun: it is the cycle now, whether or not a close applied it yet.
        settings = { ...settings, settlementCycle: current, nextSettlementCycle: null };
        nextCycleFrom = null;
      }
      if (sameCycle(askedCycle, current)) {
        settings = { ...settings, nextSettlementCycle: null };
        nextCycleFrom = null;
      } else {
        const from = settlementPeriodOf(today, current).end.add({ days: 1 });
        settings = { ...settings, nextSettlementCycle: askedCycle };
        nextCycleFrom = from.toString();
      }
    }
    if (settings.collectionAfterDays <= (settings.reminderDays.at(-1) ?? 0)) {
      throw invalid("Collection must come after the last reminder", "collectionAfterDays", "collection_before_reminder");
    }
    parseInput(atobaraiSettingsSchema, settings);
    await tx.update(atobaraiAccounts).set({ settings, nextCycleFrom, updatedAt: now }).where(eq(atobaraiAccounts.merchantId, ctx.merchantId));
    await recordAudit(tx, ctx, { action: "atobarai.settings_updated", targetType: "merchant", targetId: ctx.merchantId, data: { before, after: settings, nextCycleFrom }, at: now });
    return { settings, nextCycleFrom };
  });
}

