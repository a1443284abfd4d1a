import { and, eq, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { usageRecords } from "@/db/schema";
import type { UsageTotal } from "@/lib/billing/invoice";

/** Usage of a contract not billed yet, recorded before `before` (a renewal's start; for a contract that ended, its end). */
export type UsageCut = { subscriptionId: string; before: Date };

const unbilled = (cut: UsageCut) => and(eq(usageRecords.subscriptionId, cut.subscriptionId), isNull(usageRecords.invoiceId), lt(usageRecords.recordedAt, cut.before));

/** Unbilled usage per contract, summed by metric. */
export async function unbilledUsage(tx: Db, cuts: readonly UsageCut[]): Promise<Map<string, UsageTotal[]>> {
  const usage = new Map<string, UsageTotal[]>();
  for (const cut of cuts) {
    const totals = await tx
      .select({ metric: usageRecords.metric, quantity: sql<number>`sum(${usageRecords.quantity})::int` })
      .from(usageRecords)
      .where(unbilled(cut))
      .groupBy(usageRecords.metric);
    if (totals.length > 0) usage.set(cut.subscriptionId, totals);
  }
  return usage;
}

/** The usage goes on the invoice just issued for it. */
export async function billUsage(tx: Db, cut: UsageCut, invoiceId: string): Promise<void> {
  await tx.update(usageRecords).set({ invoiceId }).where(unbilled(cut));
}

/** Whether a contract has usage not billed yet. */
export async function hasUnbilledUsage(tx: Db, subscriptionId: string, before: Date): Promise<boolean> {
  const [row] = await tx.select({ id: usageRecords.id }).from(usageRecords).where(unbilled({ subscriptionId, before })).limit(1);
  return row !== undefined;
}
