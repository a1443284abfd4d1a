import { and, count, desc, eq, inArray, isNotNull, isNull, min, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { atobaraiAccounts, atobaraiOrders, atobaraiStatements, merchants } from "@/db/schema";
import { nextCollectionStepOn } from "@/lib/billing/atobarai/collection";
import type { AtobaraiSettings } from "@/lib/billing/atobarai/settings";
import { nextPeriodToClose } from "@/lib/billing/atobarai/statement";
import { compareDates, type LocalDate, localDateOf, startOfLocalDay } from "@/lib/billing/calendar";
import { closeAtobaraiSettlements, SOLD } from "./close-atobarai-settlements";
import { fixedClock, type Platform } from "./context";
import { type AtobaraiScope, onScope } from "./internal/atobarai-orders";
import { runAtobaraiCollection } from "./run-atobarai-collection";
import { screenRegisteredAtobaraiOrders } from "./screen-atobarai-orders";

/**
 * 後払い on a test clock: the clock's orders are left alone by the live workers and move on only when the clock is
 * advanced, through the same screening, reminder, collection and settlement passes the workers run, scoped to the
 * clock and run at the clock's time.
 */

type ClockScope = Extract<AtobaraiScope, { testClockId: string }>;

/** The merchant's 後払い terms and time zone when it has 後払い on, otherwise null. */
export async function atobaraiTermsOf(db: Db, merchantId: string): Promise<{ timeZone: string; settings: AtobaraiSettings } | null> {
  const [row] = await db
    .select({ timeZone: merchants.timeZone, settings: atobaraiAccounts.settings })
    .from(atobaraiAccounts)
    .innerJoin(merchants, eq(merchants.id, atobaraiAccounts.merchantId))
    .where(eq(atobaraiAccounts.merchantId, merchantId));
  return row ?? null;
}

/**
 * When time alone next brings something to the clock's orders: a reminder or collection (the start of its day in the
 * merchant's time zone), or a settlement close that falls by `until` (the start of the day after the period); null
 * when nothing does. Orders waiting for screening are screened at the clock's next stop, whenever that is.
 */
export async function nextAtobaraiStepAt(db: Db, scope: ClockScope, terms: { timeZone: string; settings: AtobaraiSettings }, until: Date): Promise<Date | null> {
  const { timeZone, settings } = terms;
  const days: LocalDate[] = [];
  const unpaid = await db.select({ dueOn: atobaraiOrders.dueOn, remindersSent: atobaraiOrders.remindersSent }).from(atobaraiOrders).where(and(onScope(scope), eq(atobaraiOrders.status, "shipped")));
  for (const order of unpaid) if (order.dueOn) days.push(nextCollectionStepOn({ dueOn: order.dueOn, remindersSent: order.remindersSent }, settings));

  // What the next close would take: sales not on a statement yet, returns not yet taken back.
  const [open] = await db
    .select({
      firstSale: min(sql`case when ${isNull(atobaraiOrders.statementId)} and ${inArray(atobaraiOrders.status, SOLD)} then ${atobaraiOrders.invoiceIssuedAt} end`).mapWith(atobaraiOrders.invoiceIssuedAt),
      reversals: count(sql`case when ${inArray(atobaraiOrders.status, ["returned", "canceled"])} and ${isNotNull(atobaraiOrders.statementId)} and ${isNull(atobaraiOrders.reversalStatementId)} then 1 end`),
    })
    .from(atobaraiOrders)
    .where(onScope(scope));
  if (open && (open.firstSale || open.reversals > 0)) {
    const [last] = await db
      .select({ periodEnd: atobaraiStatements.periodEnd })
      .from(atobaraiStatements)
      .where(and(eq(atobaraiStatements.merchantId, scope.merchantId), eq(atobaraiStatements.testClockId, scope.testClockId)))
      .orderBy(desc(atobaraiStatements.periodEnd))
      .limit(1);
    const close = nextPeriodToClose({
      lastEnd: last?.periodEnd ?? null,
      firstSaleOn: open.firstSale ? localDateOf(open.firstSale, timeZone) : null,
      cycle: settings.settlementCycle,
      nextCycle: null,
      nextCycleFrom: null,
      today: localDateOf(until, timeZone).add({ days: 1 }),
    });
    if (close) days.push(close.period.end.add({ days: 1 }));
  }
  if (days.length === 0) return null;
  return startOfLocalDay(
    days.reduce((a, b) => (compareDates(a, b) <= 0 ? a : b)),
    timeZone,
  );
}

/** Screening, reminders and collection, then settlement closes, for the clock's orders at the clock's `at`. */
export async function runAtobaraiOnClock(platform: Platform, scope: ClockScope, at: Date): Promise<void> {
  const onClock = { ...platform, clock: fixedClock(at) };
  await screenRegisteredAtobaraiOrders(onClock, { scope, limit: 1_000 });
  await runAtobaraiCollection(onClock, scope);
  await closeAtobaraiSettlements(onClock, { scope });
}
