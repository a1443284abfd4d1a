import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { atobaraiAccounts, atobaraiStatementLines, atobaraiStatements } from "@/db/schema";
import { orderFee, DEFAULT_ATOBARAI_SETTINGS } from "@/lib/billing/atobarai/settings";
import { atobaraiOrder, enableAtobarai, seedAtobaraiOrder } from "@/test/support/atobarai";
import { openTestDatabase } from "@/test/support/database";
import { jst, setupTestMerchant } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import { closeAtobaraiSettlements } from "./close-atobarai-settlements";
import { fixedClock, SYSTEM_ACTOR } from "./context";
import { lockAtobaraiOrder, transitionAtobaraiOrder } from "./internal/atobarai-orders";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

const at = (instant: Date) => testPlatform(database.db, { clock: fixedClock(instant) });

async function statementsOf(merchantId: string) {
  return database.db.select().from(atobaraiStatements).where(eq(atobaraiStatements.merchantId, merchantId)).orderBy(asc(atobaraiStatements.periodEnd));
}
async function linesOf(statementId: string) {
  return (await database.db.select().from(atobaraiStatementLines).where(eq(atobaraiStatementLines.statementId, statementId))).map((l) => [l.orderId, l.kind, l.amount]).sort();
}
async function returnOrder(merchantId: string, orderId: string, when: Date) {
  await database.db.transaction(async (tx) => {
    const order = await lockAtobaraiOrder(tx, merchantId, orderId);
    await transitionAtobaraiOrder(tx, order, "return", { set: { returnedAt: when }, actor: SYSTEM_ACTOR, at: when });
  });
}

const fees = DEFAULT_ATOBARAI_SETTINGS.fees;

describe("後払い settlement (立替払い)", () => {
  it("closes each ended month once (Tokyo time); a return after the close comes off the next statement to the yen", async () => {
    const m = await setupTestMerchant(database);
    await enableAtobarai(database, m.merchantId);
    const a = await seedAtobaraiOrder(database, m.merchantId, { amount: 5_500, shippedAt: jst("2027-01-10T12:00:00"), dueOn: "2027-01-24" });
    const b = await seedAtobaraiOrder(database, m.merchantId, { amount: 12_800, shippedAt: jst("2027-01-31T23:30:00"), dueOn: "2027-02-14" });
    const c = await seedAtobaraiOrder(database, m.merchantId, { amount: 3_000, shippedAt: jst("2027-02-01T00:10:00"), dueOn: "2027-02-15" });
    await seedAtobaraiOrder(database, m.merchantId, { status: "approved" });

    expect((await closeAtobaraiSettlements(at(jst("2027-01-31T23:59:00")), { merchantId: m.merchantId })).closed).toEqual([]);
    await closeAtobaraiSettlements(at(jst("2027-02-01T00:05:00")), { merchantId: m.merchantId });
    await closeAtobaraiSettlements(at(jst("2027-02-02T00:05:00")), { merchantId: m.merchantId });
    let statements = await statementsOf(m.merchantId);
    expect(statements).toHaveLength(1);
    const january = statements[0]!;
    expect(orderFee(5_500, fees)).toBe(349);
    expect(orderFee(12_800, fees)).toBe(561);
    expect(january).toMatchObject({ periodStart: "2027-01-01", periodEnd: "2027-01-31", cycle: { kind: "monthly" }, sales: 18_300, fees: 910, reversals: 0, net: 17_390, orderCount: 2 });
    expect(await linesOf(january.id)).toEqual(
      [
        [a.id, "fee", -349],
        [a.id, "sale", 5_500],
        [b.id, "fee", -561],
        [b.id, "sale", 12_800],
      ].sort(),
    );
    expect(await atobaraiOrder(database, a.id)).toMatchObject({ statementId: january.id });

    // Returned after January paid for it; another order shipped and returned in February never was a sale.
    await returnOrder(m.merchantId, a.id, jst("2027-02-05T10:00:00"));
    const d = await seedAtobaraiOrder(database, m.merchantId, { amount: 7_000, shippedAt: jst("2027-02-10T12:00:00"), dueOn: "2027-02-24" });
    await returnOrder(m.merchantId, d.id, jst("2027-02-12T10:00:00"));
    await closeAtobaraiSettlements(at(jst("2027-03-01T06:00:00")), { merchantId: m.merchantId });
    statements = await statementsOf(m.merchantId);
    const february = statements[1]!;
    expect(orderFee(3_000, fees)).toBe(277);
    expect(february).toMatchObject({ periodStart: "2027-02-01", periodEnd: "2027-02-28", sales: 3_000, fees: 277, reversals: 5_500, net: -2_777, orderCount: 1 });
    expect(await linesOf(february.id)).toEqual(
      [
        [a.id, "reversal", -5_500],
        [c.id, "fee", -277],
        [c.id, "sale", 3_000],
      ].sort(),
    );
    expect(await atobaraiOrder(database, a.id)).toMatchObject({ statementId: january.id, reversalStatementId: february.id });
    expect(await atobaraiOrder(database, d.id)).toMatchObject({ statementId: null, reversalStatementId: null });
    // Nothing is reversed twice.
    await closeAtobaraiSettlements(at(jst("2027-04-01T06:00:00")), { merchantId: m.merchantId });
    const march = (await statementsOf(m.merchantId))[2]!;
    expect(march).toMatchObject({ periodEnd: "2027-03-31", sales: 0, fees: 0, reversals: 0, net: 0 });
  });

  it("a change of cycle waits for the current close, then the new cycle's first period starts the day after", async () => {
    const m = await setupTestMerchant(database);
    // Changed on Feb 15 to weekly, closing on Fridays: from March 1 (the day after February's close).
    await enableAtobarai(database, m.merchantId, { nextSettlementCycle: { kind: "weekly", closeWeekday: 5 } }, "2027-03-01");
    await seedAtobaraiOrder(database, m.merchantId, { amount: 10_000, shippedAt: jst("2027-02-20T12:00:00"), dueOn: "2027-03-06" });
    const march = await seedAtobaraiOrder(database, m.merchantId, { amount: 4_000, shippedAt: jst("2027-03-03T12:00:00"), dueOn: "2027-03-17" });
    await closeAtobaraiSettlements(at(jst("2027-03-02T06:00:00")), { merchantId: m.merchantId });
    let [account] = await database.db.select().from(atobaraiAccounts).where(eq(atobaraiAccounts.merchantId, m.merchantId));
    expect(account).toMatchObject({ nextCycleFrom: "2027-03-01", settings: { settlementCycle: { kind: "monthly" }, nextSettlementCycle: { kind: "weekly", closeWeekday: 5 } } });

    await closeAtobaraiSettlements(at(jst("2027-03-13T06:00:00")), { merchantId: m.merchantId });
    const statements = await statementsOf(m.merchantId);
    expect(statements.map((s) => [s.periodStart, s.periodEnd, s.cycle.kind, s.sales])).toEqual([
      ["2027-02-01", "2027-02-28", "monthly", 10_000],
      ["2027-03-01", "2027-03-05", "weekly", 4_000],
      ["2027-03-06", "2027-03-12", "weekly", 0],
    ]);
    expect(await atobaraiOrder(database, march.id)).toMatchObject({ statementId: statements[1]!.id });
    [account] = await database.db.select().from(atobaraiAccounts).where(eq(atobaraiAccounts.merchantId, m.merchantId));
    expect(account).toMatchObject({ nextCycleFrom: null, settings: { settlementCycle: { kind: "weekly", closeWeekday: 5 }, nextSettlementCycle: null } });
  });

  it("two workers closing at once write one statement per period", async () => {
    const m = await setupTestMerchant(database);
    await enableAtobarai(database, m.merchantId);
    await seedAtobaraiOrder(database, m.merchantId, { amount: 5_500, shippedAt: jst("2027-01-10T12:00:00"), dueOn: "2027-01-24" });
    await Promise.all([1, 2, 3].map(() => closeAtobaraiSettlements(at(jst("2027-03-01T06:00:00")), { merchantId: m.merchantId })));
    expect((await statementsOf(m.merchantId)).map((s) => [s.periodEnd, s.sales])).toEqual([
      ["2027-01-31", 5_500],
      ["2027-02-28", 0],
    ]);
  });
});
