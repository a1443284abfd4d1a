import { and, asc, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { atobaraiOrderEvents, atobaraiStatementLines, atobaraiStatements, mails } from "@/db/schema";
import { atobaraiOrder } from "@/test/support/atobarai";
import { openTestDatabase } from "@/test/support/database";
import { jst, rejection, setupTestMerchant, staffMemberOf } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import { advanceTestClock } from "./advance-test-clock";
import { recordSandboxAtobaraiPayment } from "./atobarai-payments";
import { returnAtobaraiOrder, shipAtobaraiOrder } from "./atobarai-order-actions";
import { enableAtobarai } from "./atobarai-settings";
import { fixedClock } from "./context";
import { createTestClock } from "./create-test-clock";
import { registerAtobaraiOrder } from "./register-atobarai-order";
import { runAtobaraiMoney } from "./run-atobarai-money";
import { screenRegisteredAtobaraiOrders } from "./screen-atobarai-orders";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

/** The real time all along: the test clock's orders must not follow it, nor the live workers touch them. */
const REAL_NOW = new Date("2026-11-30T12:00:00Z");
const live = () => testPlatform(database.db, { clock: fixedClock(REAL_NOW) });

const buyer = (email: string) => ({ name: "山田 花子", kana: "ヤマダ ハナコ", email, phone: "090-1234-5678", postalCode: "100-0001", address: "東京都千代田区千代田1-1" });

/**
 * A sandbox order on a test clock: registered at the clock's time, left alone by the live workers, and moved on only by
 * advancing the clock — screened, reminded on its days, paid with the sandbox's test payment, on a statement of the
 * clock's own (never a live one), and a return after that close taken back on the clock's next statement to the yen.
 */
describe("後払い on a test clock", () => {
  it("register → OK → ship → invoice mailed → reminded → paid → on the clock's statement → returned, taken back next close", async () => {
    const m = await setupTestMerchant(database, { now: REAL_NOW });
    const owner = await staffMemberOf(database, m, "owner", REAL_NOW);
    await enableAtobarai(owner);
    const clock = await createTestClock(m.ctx(), { frozenTime: jst("2027-04-01T10:00:00"), name: "後払い" });
    const ctx = m.ctx(fixedClock(REAL_NOW));

    const order = await registerAtobaraiOrder(ctx, { orderRef: "CLOCK-1", buyer: buyer("clock-buyer@example.jp"), items: [{ name: "緑茶セット", quantity: 2, unitPrice: 4_950 }], testClockId: clock.id }, "api");
    expect(order).toMatchObject({ status: "registered", testClockId: clock.id, createdAt: jst("2027-04-01T10:00:00") });
    // The live screening worker leaves it: only the clock moves it on.
    await screenRegisteredAtobaraiOrders(live());
    expect(await atobaraiOrder(database, order.id)).toMatchObject({ status: "registered" });

    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-04-01T10:30:00") });
    expect(await atobaraiOrder(database, order.id)).toMatchObject({ status: "approved", screeningResult: "ok", screenedAt: jst("2027-04-01T10:30:00") });

    const shipped = await shipAtobaraiOrder(ctx, { orderId: order.id, trackingNumber: "1234-5678-9012", invoiceDelivery: "mail" });
    expect(shipped).toMatchObject({ status: "shipped", invoiceIssuedAt: jst("2027-04-01T10:30:00"), dueOn: "2027-04-15" });
    const buyerMails = () =>
      database.db
        .select({ template: mails.template, queuedAt: mails.queuedAt, testClockId: mails.testClockId })
        .from(mails)
        .where(and(eq(mails.merchantId, m.merchantId), eq(mails.toAddress, "clock-buyer@example.jp")))
        .orderBy(asc(mails.queuedAt));
    expect(await buyerMails()).toEqual([{ template: "atobarai_invoice", queuedAt: jst("2027-04-01T10:30:00"), testClockId: clock.id }]);

    // The live money worker, however late the real time, neither reminds nor settles the clock's order.
    await runAtobaraiMoney(testPlatform(database.db, { clock: fixedClock(jst("2027-12-31T00:00:00")) }));
    expect(await buyerMails()).toHaveLength(1);
    expect(await database.db.$count(atobaraiStatements, eq(atobaraiStatements.merchantId, m.merchantId))).toBe(0);

    // A week after the due date (04-15 + 7), at the start of that day in Tokyo: the reminder, once.
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-04-25T09:00:00") });
    expect(await buyerMails()).toEqual([
      { template: "atobarai_invoice", queuedAt: jst("2027-04-01T10:30:00"), testClockId: clock.id },
      { template: "atobarai_reminder", queuedAt: jst("2027-04-22T00:00:00"), testClockId: clock.id },
    ]);

    const paid = await recordSandboxAtobaraiPayment(ctx, { orderId: order.id });
    expect(paid.order).toMatchObject({ status: "paid", amountPaid: 9_900, paidAt: jst("2027-04-25T09:00:00") });

    // April closes at the first midnight of May (Tokyo): one statement, the clock's own.
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-05-03T12:00:00") });
    const statements = () => database.db.select().from(atobaraiStatements).where(eq(atobaraiStatements.merchantId, m.merchantId)).orderBy(asc(atobaraiStatements.periodEnd));
    expect((await statements()).map((s) => [s.periodStart, s.periodEnd, s.sales, s.fees, s.reversals, s.net, s.testClockId, s.closedAt])).toEqual([
      ["2027-04-01", "2027-04-30", 9_900, 477, 0, 9_423, clock.id, jst("2027-05-01T00:00:00")],
    ]);

    // Returned after that close: May's statement takes back the sale to the yen (fees are kept: README).
    await returnAtobaraiOrder(ctx, { orderId: order.id, reason: "破損" });
    expect(await atobaraiOrder(database, order.id)).toMatchObject({ status: "returned", returnedAt: jst("2027-05-03T12:00:00") });
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-06-01T00:00:00") });
    const [, may] = await statements();
    expect([may!.periodStart, may!.periodEnd, may!.sales, may!.reversals, may!.net, may!.testClockId]).toEqual(["2027-05-01", "2027-05-31", 0, 9_900, -9_900, clock.id]);
    const lines = await database.db.select().from(atobaraiStatementLines).where(eq(atobaraiStatementLines.statementId, may!.id));
    expect(lines.map((l) => [l.kind, l.amount, l.orderId])).toEqual([["reversal", -9_900, order.id]]);

    const events = await database.db.select().from(atobaraiOrderEvents).where(eq(atobaraiOrderEvents.orderId, order.id)).orderBy(asc(atobaraiOrderEvents.at));
    expect(events.map((e) => [e.kind, e.at])).toEqual([
      ["registered", jst("2027-04-01T10:00:00")],
      ["screen_ok", jst("2027-04-01T10:30:00")],
      ["ship", jst("2027-04-01T10:30:00")],
      ["invoice_mailed", jst("2027-04-01T10:30:00")],
      ["reminder", jst("2027-04-22T00:00:00")],
      ["pay", jst("2027-04-25T09:00:00")],
      ["return", jst("2027-05-03T12:00:00")],
    ]);
    // No live statement was ever made of it.
    expect(await database.db.$count(atobaraiStatements, and(eq(atobaraiStatements.merchantId, m.merchantId), isNull(atobaraiStatements.testClockId)))).toBe(0);
  });

  it("a live order and a clock's order of one merchant close on separate statements for the same period", async () => {
    const m = await setupTestMerchant(database, { now: REAL_NOW });
    const owner = await staffMemberOf(database, m, "owner", REAL_NOW);
    await enableAtobarai(owner);
    const clock = await createTestClock(m.ctx(), { frozenTime: jst("2027-04-10T10:00:00") });
    const liveAt = (local: string) => m.ctx(fixedClock(jst(local)));

    const liveOrder = await registerAtobaraiOrder(liveAt("2027-04-10T10:00:00"), { orderRef: "LIVE-1", buyer: buyer("live@example.jp"), items: [{ name: "茶", quantity: 1, unitPrice: 3_000 }] }, "api");
    await screenRegisteredAtobaraiOrders(testPlatform(database.db, { clock: fixedClock(jst("2027-04-10T10:05:00")) }));
    await shipAtobaraiOrder(liveAt("2027-04-11T10:00:00"), { orderId: liveOrder.id, trackingNumber: "LIVE-0001" });

    const clockOrder = await registerAtobaraiOrder(m.ctx(), { orderRef: "CLOCK-2", buyer: buyer("clock2@example.jp"), items: [{ name: "茶", quantity: 1, unitPrice: 5_000 }], testClockId: clock.id }, "api");
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-04-11T10:00:00") });
    await shipAtobaraiOrder(m.ctx(), { orderId: clockOrder.id, trackingNumber: "CLOCK-0002" });
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-05-01T10:00:00") });
    await runAtobaraiMoney(testPlatform(database.db, { clock: fixedClock(jst("2027-05-01T10:00:00")) }));

    const rows = await database.db.select().from(atobaraiStatements).where(eq(atobaraiStatements.merchantId, m.merchantId)).orderBy(asc(atobaraiStatements.sales));
    expect(rows.map((s) => [s.periodEnd, s.sales, s.orderCount, s.testClockId])).toEqual([
      ["2027-04-30", 3_000, 1, null],
      ["2027-04-30", 5_000, 1, clock.id],
    ]);
  });

  it("an order names only a test clock of its own merchant, and nothing is written otherwise", async () => {
    const m = await setupTestMerchant(database, { now: REAL_NOW });
    const other = await setupTestMerchant(database, { now: REAL_NOW });
    await enableAtobarai(await staffMemberOf(database, m, "owner", REAL_NOW));
    const theirs = await createTestClock(other.ctx(), { frozenTime: jst("2027-04-01T10:00:00") });
    const refused = await rejection(registerAtobaraiOrder(m.ctx(), { orderRef: "X-1", buyer: buyer("x@example.jp"), items: [{ name: "茶", quantity: 1, unitPrice: 1_000 }], testClockId: theirs.id }, "api"));
    expect(refused).toMatchObject({ code: "not_found", details: { param: "test_clock" } });
    expect(await database.db.$count(atobaraiOrderEvents, eq(atobaraiOrderEvents.merchantId, m.merchantId))).toBe(0);
  });
});
