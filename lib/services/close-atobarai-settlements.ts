import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, min, sql } from "drizzle-orm";
import { atobaraiAccounts, atobaraiOrders, atobaraiStatementLines, atobaraiStatements, merchants } from "@/db/schema";
import { buildStatement, nextPeriodToClose } from "@/lib/billing/atobarai/statement";
import { localDateOf, startOfLocalDay } from "@/lib/billing/calendar";
import { bulkInsert } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { newId } from "@/lib/ids";
import { type Platform, SYSTEM_ACTOR } from "./context";
import { type AtobaraiScope, LIVE, onScope } from "./internal/atobarai-orders";
import { recordAudit } from "./internal/audit";

const onStatementScope = (scope: AtobaraiScope) => (scope.testClockId === null ? isNull(atobaraiStatements.testClockId) : eq(atobaraiStatements.testClockId, scope.testClockId));

/** Orders the merchant is paid for: shipped and not returned (paid or in collection, the merchant keeps its money). */
export const SOLD = ["shipped", "paid", "collection"] as const;
/** The most periods one pass closes for a merchant (a worker stopped for long catches up over several passes). */
const MAX_CLOSES = 60;

export type SettlementRunResult = { closed: { merchantId: string; statementId: string; periodEnd: string }[] };

/**
 * The settlement worker (runner loop and Inngest cron): for every merchant with 後払い on, closes each period that has
 * ended in the merchant's time zone, one statement per close. A period is closed once (one statement per end date,
 * and the merchant's account row is locked while it is written); a changed cycle becomes the cycle once the periods
 * before `nextCycleFrom` are closed. Live orders on live statements by default; a test clock's orders on statements of
 * their own when its advance asks (`scope`).
 */
export async function closeAtobaraiSettlements(platform: Pick<Platform, "db" | "clock">, options: { merchantId?: string; scope?: AtobaraiScope } = {}): Promise<SettlementRunResult> {
  const scope = options.scope ?? LIVE;
  const only = scope.testClockId === null ? options.merchantId : scope.merchantId;
  const accounts = await platform.db
    .select({ merchantId: atobaraiAccounts.merchantId })
    .from(atobaraiAccounts)
    .where(only ? eq(atobaraiAccounts.merchantId, only) : undefined)
    .orderBy(asc(atobaraiAccounts.merchantId));
  const result: SettlementRunResult = { closed: [] };
  for (const { merchantId } of accounts) {
    for (let i = 0; i < MAX_CLOSES; i++) {
      const closed = await platform.db.transaction((tx) => closeNextPeriod(tx, merchantId, platform.clock.now(), scope));
      if (!closed) break;
      result.closed.push({ merchantId, ...closed });
    }
  }
  return result;
}

async function closeNextPeriod(tx: Db, merchantId: string, now: Date, scope: AtobaraiScope): Promise<{ statementId: string; periodEnd: string } | null> {
  const [account] = await tx.select().from(atobaraiAccounts).where(eq(atobaraiAccounts.merchantId, merchantId)).for("update");
  const [merchant] = await tx.select({ timeZone: merchants.timeZone }).from(merchants).where(eq(merchants.id, merchantId));
  if (!account || !merchant) return null;
  const [last] = await tx.select({ periodEnd: atobaraiStatements.periodEnd }).from(atobaraiStatements).where(and(eq(atobaraiStatements.merchantId, merchantId), onStatementScope(scope))).orderBy(desc(atobaraiStatements.periodEnd)).limit(1);
  let firstSaleOn = null;
  if (!last) {
    const [first] = await tx
      .select({ at: min(atobaraiOrders.invoiceIssuedAt) })
      .from(atobaraiOrders)
      .where(and(eq(atobaraiOrders.merchantId, merchantId), onScope(scope), inArray(atobaraiOrders.status, SOLD), isNull(atobaraiOrders.statementId), isNotNull(atobaraiOrders.invoiceIssuedAt)));
    if (!first?.at) return null;
    firstSaleOn = localDateOf(new Date(first.at), merchant.timeZone);
  }
  const { settings } = account;
  const next = nextPeriodToClose({
    lastEnd: last?.periodEnd ?? null,
    firstSaleOn,
    cycle: settings.settlementCycle,
    // A cycle change is the live account's: a test clock's statements follow the cycle in force.
    nextCycle: scope.testClockId === null ? settings.nextSettlementCycle : null,
    nextCycleFrom: scope.testClockId === null ? account.nextCycleFrom : null,
    today: localDateOf(now, merchant.timeZone),
  });
  if (!next) return null;
  // Everything up to the end of the period's last day, in the merchant's time zone.
  const endsAt = startOfLocalDay(next.period.end.add({ days: 1 }), merchant.timeZone);
  const order = { id: atobaraiOrders.id, orderRef: atobaraiOrders.orderRef, amount: atobaraiOrders.amount, status: atobaraiOrders.status };
  const sales = await tx
    .select(order)
    .from(atobaraiOrders)
    .where(and(eq(atobaraiOrders.merchantId, merchantId), onScope(scope), inArray(atobaraiOrders.status, SOLD), isNull(atobaraiOrders.statementId), lt(atobaraiOrders.invoiceIssuedAt, endsAt)))
    .orderBy(asc(atobaraiOrders.invoiceIssuedAt), asc(atobaraiOrders.id));
  const reversals = await tx
    .select(order)
    .from(atobaraiOrders)
    .where(
      and(
        eq(atobaraiOrders.merchantId, merchantId),
        onScope(scope),
        isNotNull(atobaraiOrders.statementId),
        isNull(atobaraiOrders.reversalStatementId),
        inArray(atobaraiOrders.status, ["returned", "canceled"]),
        // A raw comparison: its parameter is not mapped by a column, so it goes as text (postgres-js takes no Date here).
        sql`coalesce(${atobaraiOrders.returnedAt}, ${atobaraiOrders.canceledAt}) < ${endsAt.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(asc(atobaraiOrders.id));
  const { lines, totals } = buildStatement(sales, reversals, settings.fees);
  const statementId = newId("abs");
  const periodEnd = next.period.end.toString();
  await tx.insert(atobaraiStatements).values({ id: statementId, merchantId, cycle: next.cycle, periodStart: next.period.start.toString(), periodEnd, ...totals, closedAt: now, testClockId: scope.testClockId });
  await bulkInsert(tx, atobaraiStatementLines, lines.map((line) => ({ id: newId("abl"), merchantId, statementId, ...line })));
  if (sales.length) await tx.update(atobaraiOrders).set({ statementId }).where(inArray(atobaraiOrders.id, sales.map((o) => o.id)));
  if (reversals.length) await tx.update(atobaraiOrders).set({ reversalStatementId: statementId }).where(inArray(atobaraiOrders.id, reversals.map((o) => o.id)));
  if (next.cycleChanged) {
    await tx
      .update(atobaraiAccounts)
      .set({ settings: { ...settings, settlementCycle: next.cycle, nextSettlementCycle: null }, nextCycleFrom: null, updatedAt: now })
      .where(eq(atobaraiAccounts.merchantId, merchantId));
  }
  await recordAudit(tx, { actor: SYSTEM_ACTOR, merchantId }, { action: "atobarai.statement_closed", targetType: "atobarai_statement", targetId: statementId, data: { periodEnd, ...totals, cycleChanged: next.cycleChanged }, at: now });
  return { statementId, periodEnd };
}
